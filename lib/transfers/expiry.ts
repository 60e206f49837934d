import "server-only";
import { systemActor } from "@/lib/auth/actor";
import { LOCKING_TRANSACTION_OPTIONS as TRANSACTION_OPTIONS } from "@/lib/conversations/lock";
import { prisma } from "@/lib/db";
import { endTransferUnchecked, staleTransferWhere } from "@/lib/transfers/end-transfer";

// System work: closes transfers whose contact went silent past TRANSFER_STALE_MINUTES. It needs
// no caller's authorization: it decides nothing and shows nothing, it applies what time decided.

const EXPIRY = systemActor("transfer expiry");

/** Ends every stale transfer (the periodic sweep). Returns how many this call ended. */
export async function sweepTransfers(now = new Date()): Promise<number> {
  const due = await prisma.transfer.findMany({ where: staleTransferWhere(now), select: { id: true } });
  let ended = 0;
  const failures: unknown[] = [];
  // One transaction per transfer: a failure on one conversation must not hold back the others.
  for (const transfer of due) {
    try {
      const messages = await prisma.$transaction((tx) => endTransferUnchecked(tx, EXPIRY, transfer.id, "stale", now), TRANSACTION_OPTIONS);
      if (messages) ended += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `Ending ${failures.length} transfer(s) failed.`);
  return ended;
}

/**
 * The lazy check run before a conversation is used: ends its stale transfers (as source or
 * target), so the contact is answered by the right bot even when no sweeper has run.
 */
export async function settleTransfers(conversationId: string, now = new Date()): Promise<void> {
  // The common case finds nothing: look before taking any lock.
  const due = await prisma.transfer.findMany({ where: staleTransferWhere(now, conversationId), select: { id: true } });
  for (const transfer of due) {
    await prisma.$transaction((tx) => endTransferUnchecked(tx, EXPIRY, transfer.id, "stale", now), TRANSACTION_OPTIONS);
  }
}
