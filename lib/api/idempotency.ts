import "server-only";
import { setTimeout as sleep } from "node:timers/promises";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

/** A key another request holds longer than this is taken to be abandoned (its process died). */
const ABANDONED_AFTER_MS = 60_000;
/** How long a repeat waits for the first request with its key to finish before answering 409. */
const WAIT_FOR_FIRST_MS = 15_000;
const POLL_MS = 25;
/** `status` of a reserved key whose first request is still running. */
const PENDING = 0;

export type IdempotencyScope = {
  /** Who sent it (the API token's id): keys of different callers never collide. */
  actorKey: string;
  key: string;
  /** requestHash() of the request: the same key with another request is refused. */
  requestHash: string;
};

function replay(status: number, body: string): Response {
  let requestId = "";
  try {
    requestId = (JSON.parse(body) as { meta?: { requestId?: string } }).meta?.requestId ?? "";
  } catch {
    // A stored body is always an envelope; without one the header is simply left empty.
  }
  return new Response(body, {
    status,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      "X-Request-Id": requestId,
      "Idempotent-Replayed": "true",
    },
  });
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/**
 * Runs `run` at most once per (actor, key): the key is reserved with a unique row first, so
 * concurrent repeats wait for the first and replay its answer byte for byte. Only successful
 * answers are kept; a failed first attempt frees the key (it changed nothing), so a corrected
 * retry may use it again. Without a scope (no Idempotency-Key) `run` simply runs.
 */
export async function withIdempotency(scope: IdempotencyScope | null, run: () => Promise<Response>): Promise<Response> {
  if (!scope) return run();
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const existing = await prisma.idempotencyRecord.findUnique({
      where: { actorKey_key: { actorKey: scope.actorKey, key: scope.key } },
    });
    if (existing) {
      if (existing.requestHash !== scope.requestHash) {
        throw new AppError("unprocessable", "This Idempotency-Key was already used with a different request.");
      }
      if (existing.status !== PENDING) return replay(existing.status, String(existing.body));
      if (Date.now() - existing.createdAt.getTime() > ABANDONED_AFTER_MS) {
        await prisma.idempotencyRecord.deleteMany({ where: { id: existing.id, status: PENDING } });
        continue;
      }
      if (Date.now() > deadline) {
        throw new AppError("conflict", "A request with this Idempotency-Key is still in progress; retry shortly.");
      }
      await sleep(POLL_MS);
      continue;
    }
    let reservation: { id: string };
    try {
      reservation = await prisma.idempotencyRecord.create({
        data: { ...scope, status: PENDING, body: "" },
        select: { id: true },
      });
    } catch (error) {
      if (isUniqueViolation(error)) continue;
      throw error;
    }
    return runReserved(reservation.id, run);
  }
}

async function runReserved(reservationId: string, run: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await run();
  } catch (error) {
    await prisma.idempotencyRecord.delete({ where: { id: reservationId } });
    throw error;
  }
  if (response.ok) {
    // Stored as a JSON string, not a JSON object: jsonb would reorder the keys.
    const body = await response.text();
    await prisma.idempotencyRecord.update({ where: { id: reservationId }, data: { status: response.status, body } });
    return new Response(body, { status: response.status, headers: response.headers });
  }
  await prisma.idempotencyRecord.delete({ where: { id: reservationId } });
  return response;
}
