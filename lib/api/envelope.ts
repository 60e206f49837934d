import "server-only";
import { randomUUID } from "node:crypto";
import { retryAfterHeaders, toAppError } from "@/lib/errors";

/** `meta` of every v1 API answer: when it was made and an id to quote in a support request. */
export type ApiMeta = { timestamp: string; requestId: string };

/** A new request id; the route wrapper makes one per request and every answer carries it. */
export const newRequestId = (): string => randomUUID();

function newMeta(requestId = newRequestId()): ApiMeta {
  return { timestamp: new Date().toISOString(), requestId };
}

function envelopeResponse<Body extends { meta: ApiMeta }>(body: Body, status: number, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ "X-Request-Id": body.meta.requestId, "Cache-Control": "no-store", ...extraHeaders });
  // RFC 6750: a 401 names the scheme the client should use.
  if (status === 401) headers.set("WWW-Authenticate", 'Bearer realm="switchboard"');
  return Response.json(body, { status, headers });
}

/** `{ success: true, data, meta }` with this status (200 unless told); `extraMeta` adds e.g. a list's `nextCursor`. */
export function apiSuccess(data: unknown, status = 200, requestId?: string, extraMeta: Record<string, unknown> = {}): Response {
  return envelopeResponse({ success: true, data, meta: { ...newMeta(requestId), ...extraMeta } }, status);
}

/**
 * `{ success: false, error: { code, message, details }, meta }` with the AppError's status. An
 * unexpected error is logged by toAppError and answers a generic 500: its message never leaves.
 */
export function apiError(error: unknown, requestId?: string): Response {
  const appError = toAppError(error);
  return envelopeResponse(
    {
      success: false,
      error: { code: appError.code, message: appError.message, details: appError.fieldErrors ?? null },
      meta: newMeta(requestId),
    },
    appError.status,
    retryAfterHeaders(appError),
  );
}
