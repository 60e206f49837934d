import "server-only";
import { z } from "zod";
import { retryAfterHeaders, toAppError } from "@/lib/errors";
import { NOT_AVAILABLE_TEXT } from "@/lib/shares/not-available-page";

export { idSchema } from "@/lib/ids";

/** A JSON error body `{ error: { code, message } }` with the error's status. */
export function jsonErrorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json(
    { error: { code: appError.code, message: appError.message, details: appError.fieldErrors } },
    { status: appError.status, headers: retryAfterHeaders(appError) },
  );
}

/** The one answer for every share that cannot be opened, whatever the reason. */
export function shareNotAvailableResponse(): Response {
  return new Response(NOT_AVAILABLE_TEXT, {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

/** Cursor for "load earlier messages": a positive integer as a string, or absent. */
export const beforeCursorSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{22}$/, "before must be the earlierCursor of a page.")
  .nullable()
  .transform((value) => value ?? undefined);

