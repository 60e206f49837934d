import "server-only";
import type { ApiActor } from "@/lib/api/auth";
import type { BotTokenActor } from "@/lib/auth/actor";
import { AppError, retryAfterHeaders, toAppError } from "@/lib/errors";

/** The compatible endpoint's own error shape, `{"error": "<message>"}`, not the v1 envelope. */
export function peoplesErrorResponse(error: unknown, requestId: string): Response {
  const appError = toAppError(error);
  const headers: Record<string, string> = { "Cache-Control": "no-store", "X-Request-Id": requestId, ...retryAfterHeaders(appError) };
  // RFC 9110 requires it on a 401, as the v1 envelope sends it.
  if (appError.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="switchboard"';
  return Response.json({ error: appError.message }, { status: appError.status, headers });
}

/** The compatible endpoint acts for one bot: a personal token is refused like a bad one (401). */
export function requireBotToken(actor: ApiActor): BotTokenActor {
  if (actor.kind !== "bot_token") throw new AppError("unauthorized", "This endpoint needs a bot token (sb_bot_…).");
  return actor;
}
