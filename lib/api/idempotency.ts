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
 * concurrent repeats wait for the first and replay its answer byte for byte. `run` writes through
 * the transaction it is given, and a successful answer is stored in that same transaction, so the
 * change and its recorded answer commit together: a process that dies midway leaves neither, and
 * a retry after the reservation is abandoned does the work once. Only successful answers are
 * kept; a failed first attempt frees the key (it changed nothing), so a corrected retry may use
 * it again. Without a scope (no Idempotency-Key) `run` simply runs in a transaction. `run` must
 * not use the global client: PGlite has one connection, which the transaction holds.
 */
export async function withIdempotency(
  scope: IdempotencyScope | null,
  run: (tx: Prisma.TransactionClient) => Promise<Response>,
): Promise<Response> {
  if (!scope) return answerInTransaction(run);
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

/** A failed answer, carried out of the transaction so that it rolls back. */
class FailedAnswer extends Error {
  constructor(readonly response: Response) {
    super("The request failed; nothing it wrote is kept.");
  }
}

/**
 * Runs `run` in one transaction that commits only with a successful answer (a failed one rolls
 * back whatever `run` wrote), storing that answer with `store` before the commit.
 */
async function answerInTransaction(
  run: (tx: Prisma.TransactionClient) => Promise<Response>,
  store?: (tx: Prisma.TransactionClient, answer: { status: number; body: string }) => Promise<unknown>,
): Promise<Response> {
  try {
    return await prisma.$transaction(async (tx) => {
      const response = await run(tx);
      if (!response.ok) throw new FailedAnswer(response);
      const body = await response.text();
      await store?.(tx, { status: response.status, body });
      return new Response(body, { status: response.status, headers: response.headers });
    });
  } catch (error) {
    if (error instanceof FailedAnswer) return error.response;
    throw error;
  }
}

async function runReserved(reservationId: string, run: (tx: Prisma.TransactionClient) => Promise<Response>): Promise<Response> {
  const release = () => prisma.idempotencyRecord.delete({ where: { id: reservationId } });
  let response: Response;
  try {
    // Stored as a JSON string, not a JSON object: jsonb would reorder the keys.
    response = await answerInTransaction(run, (tx, answer) =>
      tx.idempotencyRecord.update({ where: { id: reservationId }, data: answer }),
    );
  } catch (error) {
    await release();
    throw error;
  }
  if (!response.ok) await release();
  return response;
}
