import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/** Largest JSON body the v1 API reads; a share's settings fit in far less. */
export const MAX_JSON_BODY_BYTES = 256 * 1024;

/** The `Idempotency-Key` header: 1–200 characters. */
export const idempotencyKeySchema = z
  .string()
  .min(1, "Idempotency-Key must not be empty.")
  .max(200, "Idempotency-Key must be at most 200 characters.")
  .meta({ description: "Repeats of a request with this key (1–200 characters) replay the first successful answer." });

/** The request's Idempotency-Key, or null when it sends none. */
export function idempotencyKeyFrom(request: Request): string | null {
  const value = request.headers.get("idempotency-key");
  if (value === null) return null;
  const result = idempotencyKeySchema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? "Malformed Idempotency-Key.";
  throw new AppError("bad_request", message, { "Idempotency-Key": [message] });
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` count as the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of method, path and body: what an Idempotency-Key is bound to. */
export function requestHash(request: Request, body: unknown): string {
  const { pathname } = new URL(request.url);
  return createHash("sha256").update(`${request.method} ${pathname}\n${canonicalJson(body)}`).digest("hex");
}
