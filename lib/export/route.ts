import "server-only";
import type { z } from "zod";
import { authenticateRequest } from "@/lib/api/auth";
import { apiError, newRequestId } from "@/lib/api/envelope";
import type { Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import { consumeApiToken } from "@/lib/rate-limit";
import { parseOrThrow } from "@/lib/validation";

/**
 * The wrapper of the export endpoints, which a member's browser opens as a plain link (its
 * session) and an integration calls with a bearer token. With an Authorization header the token
 * alone counts (and its rate limit applies); without one, the session; neither is a 401. Then
 * params and query are parsed (400), and the handler authorizes through the domain's policies.
 * Errors use the v1 envelope.
 */
export function exportRoute<P extends z.ZodType, Q extends z.ZodType>(
  schemas: { params: P; query: Q },
  handler: (input: { actor: Actor; params: z.output<P>; query: z.output<Q> }) => Promise<Response>,
) {
  // Next passes no params (undefined) to a route without dynamic segments.
  return async (request: Request, context?: { params?: Promise<Record<string, string> | undefined> }): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const actor = await authenticateExportRequest(request);
      const params = parseOrThrow(schemas.params, (await context?.params) ?? {});
      const query = parseOrThrow(schemas.query, Object.fromEntries(new URL(request.url).searchParams));
      const response = await handler({ actor, params, query });
      response.headers.set("X-Request-Id", requestId);
      return response;
    } catch (error) {
      return apiError(error, requestId);
    }
  };
}

async function authenticateExportRequest(request: Request): Promise<Actor> {
  if (request.headers.has("authorization")) {
    const actor = await authenticateRequest(request);
    await consumeApiToken(actor.tokenId);
    return actor;
  }
  const actor = await getActor();
  if (actor.kind === "anonymous") throw new AppError("unauthorized", "Sign in, or send an API token: Authorization: Bearer <token>.");
  return actor;
}
