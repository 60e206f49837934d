import "server-only";
import type { z } from "zod";
import { authenticateRequest, type ApiActor } from "@/lib/api/auth";
import { apiError, apiSuccess, newRequestId } from "@/lib/api/envelope";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/request";
import { readJsonBodyLimited } from "@/lib/http/read-body";
import { consumeApiToken } from "@/lib/rate-limit";
import { parseOrThrow } from "@/lib/validation";

/** What a REST handler receives: the authenticated caller and its input, already parsed. */
export type ApiRequest<Params, Query, Body> = {
  request: Request;
  actor: ApiActor;
  params: Params;
  query: Query;
  body: Body;
  requestId: string;
  /** `{ success: true, data, meta }` carrying this request's id (and `extraMeta`, e.g. a list's nextCursor). */
  success: (data: unknown, status?: number, extraMeta?: Record<string, unknown>) => Response;
  /** The error envelope carrying this request's id (for answers built inside a transaction). */
  failure: (error: unknown) => Response;
};

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ApiRouteOptions<P, Q, B> = {
  /** The path segments (Next's `params`). */
  params?: P;
  /** The query string, as an object of its first values. */
  query?: Q;
  /** The JSON body; without a schema the body is never read. */
  body?: B;
  /** Largest body read, in bytes (a function when it depends on configuration). */
  maxBodyBytes?: number | (() => number);
  /** How errors are answered; the v1 envelope unless the endpoint keeps another platform's shape. */
  errorResponse?: (error: unknown, requestId: string) => Response;
};

const NO_PARAMS = { params: Promise.resolve({}) };

/**
 * The one wrapper of every REST route handler (v1 and the compatible endpoint), in this order:
 * authenticate the bearer token (401 even when the body is also malformed) → the token's rate
 * limit (429) → read the body as a stream with a hard limit (413, never buffered past it) → parse params, query and body with zod
 * (400) → run the handler, which authorizes through the domain's policies → map any error
 * through lib/errors.ts, with the same request id in `meta` and `X-Request-Id`. Nothing about
 * the input is looked at before the caller is known.
 */
export function apiRoute<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
  options: ApiRouteOptions<P, Q, B>,
  handler: (input: ApiRequest<Output<P>, Output<Q>, Output<B>>) => Promise<Response>,
) {
  const errorResponse = options.errorResponse ?? apiError;
  return async (request: Request, context: { params: Promise<Record<string, string>> } = NO_PARAMS): Promise<Response> => {
    const requestId = newRequestId();
    try {
      const actor = await authenticateRequest(request);
      // Per token, before any of its input is read (429 with Retry-After).
      await consumeApiToken(actor.tokenId);
      const limit = typeof options.maxBodyBytes === "function" ? options.maxBodyBytes() : (options.maxBodyBytes ?? MAX_JSON_BODY_BYTES);
      const rawBody = options.body ? await readJsonBodyLimited(request, limit) : undefined;
      const params = options.params ? parseOrThrow(options.params, await context.params) : undefined;
      const query = options.query ? parseOrThrow(options.query, Object.fromEntries(new URL(request.url).searchParams)) : undefined;
      const body = options.body ? parseOrThrow(options.body, rawBody) : undefined;
      return await handler({
        request,
        actor,
        params: params as Output<P>,
        query: query as Output<Q>,
        body: body as Output<B>,
        requestId,
        success: (data, status, extraMeta) => apiSuccess(data, status, requestId, extraMeta),
        failure: (error) => errorResponse(error, requestId),
      });
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
