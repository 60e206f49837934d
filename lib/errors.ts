import { Prisma } from "@/lib/generated/prisma/client";

/** The closed set of failures a client may be told about, each with its HTTP status. */
export const ERROR_STATUS = {
  /** The input does not parse (wrong type, missing field, malformed JSON). */
  bad_request: 400,
  /** No or invalid credentials. */
  unauthorized: 401,
  /** Signed in, but the role does not allow it (only for resources the caller may see). */
  forbidden: 403,
  /** Does not exist, or belongs to someone else. */
  not_found: 404,
  /** Conflicts with the current state (someone else holds the conversation, a duplicate). */
  conflict: 409,
  /** Parses, but breaks a rule (a message id that is not in the conversation). */
  unprocessable: 422,
  /** Too large. */
  payload_too_large: 413,
  /** Too many requests from this client, account or token; retryAfterSeconds says when to try again. */
  rate_limited: 429,
  /** Anything unexpected; the cause is logged, never sent. */
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
    /** rate_limited only: whole seconds until a retry can succeed (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "AppError";
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = "Not found") => new AppError("not_found", what);

/** A 429 that tells the client how long to wait (at least one second). */
export function rateLimited(retryAfterSeconds: number, message?: string): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError("rate_limited", message ?? `Too many requests. Try again in ${seconds} s.`, undefined, seconds);
}

/** The Retry-After header for an AppError that carries one, for a JSON error response. */
export function retryAfterHeaders(error: AppError): Record<string, string> {
  return error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : {};
}

/** Maps any thrown value to an AppError that is safe to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") return new AppError("conflict", "That already exists.");
    if (error.code === "P2025") return new AppError("not_found", "Not found.");
    if (isUnstorableText(error)) return new AppError("bad_request", "Text must not contain NUL characters.");
  }
  console.error(error);
  return new AppError("internal", "Something went wrong. Please try again.");
}

// PostgreSQL text and jsonb cannot hold U+0000: 22021 (invalid byte sequence) and 22P05
// (unsupported Unicode escape). Input with one is the client's mistake, whichever field carries
// it; the statement failed, so its transaction wrote nothing.
const UNSTORABLE_TEXT_CODES = new Set(["22021", "22P05"]);

function isUnstorableText(error: Prisma.PrismaClientKnownRequestError): boolean {
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: string } } | undefined)?.cause;
  return error.code === "P2039" && UNSTORABLE_TEXT_CODES.has(cause?.originalCode ?? "");
}
