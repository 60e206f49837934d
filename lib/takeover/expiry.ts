import "server-only";
import { systemActor } from "@/lib/auth/actor";
import { LOCKING_TRANSACTION_OPTIONS as TRANSACTION_OPTIONS, lockConversation } from "@/lib/conversations/lock";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dueReason, dueSessionSelect, dueSessionWhere, endTakeoverSessionUnchecked } from "@/lib/takeover/end-session";

// System work: ends the sessions that time or the owner has already ended (an auto link expired,
// a link revoked, an operator silent past TAKEOVER_STALE_MINUTES). It needs no caller's
// authorization because it decides nothing and shows nothing; it only applies what is due.

const SWEEPER = systemActor("takeover sweeper");
const SETTLE = systemActor("takeover settle on read");

/** Ends this conversation's due sessions inside the caller's transaction. */
export async function settleInTransaction(tx: Prisma.TransactionClient, conversationId: string, now: Date): Promise<number> {
  const due = await tx.takeoverSession.findMany({ where: dueSessionWhere(now, conversationId), select: dueSessionSelect });
  let ended = 0;
  for (const session of due) {
    if (await endTakeoverSessionUnchecked(tx, SETTLE, session.id, dueReason(session, now), now)) ended += 1;
  }
  return ended;
}

/** Ends every due session of every conversation (the periodic sweep). Returns how many it ended. */
export async function sweepTakeovers(now = new Date()): Promise<number> {
  const due = await prisma.takeoverSession.findMany({ where: dueSessionWhere(now), select: dueSessionSelect });
  let ended = 0;
  const failures: unknown[] = [];
  // One transaction per session: a failure on one conversation must not hold back the others.
  for (const session of due) {
    try {
      const done = await prisma.$transaction(
        (tx) => endTakeoverSessionUnchecked(tx, SWEEPER, session.id, dueReason(session, now), now),
        TRANSACTION_OPTIONS,
      );
      if (done) ended += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `Ending ${failures.length} takeover session(s) failed.`);
  return ended;
}

/**
 * The lazy check run on every read: ends this conversation's due sessions, so what a page shows
 * is right even when no sweeper has run.
 */
export async function settleConversation(conversationId: string, now = new Date()): Promise<void> {
  // A read is the common case and almost never finds anything: check before taking the lock.
  const due = await prisma.takeoverSession.count({ where: dueSessionWhere(now, conversationId) });
  if (due === 0) return;
  await prisma.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    await settleInTransaction(tx, conversationId, now);
  }, TRANSACTION_OPTIONS);
}
