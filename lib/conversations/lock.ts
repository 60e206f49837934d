import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Locks the conversation's row for the rest of the transaction. Every write to a conversation
 * (a message, an event, a share change, a control change) takes it first, so those writes run
 * one at a time and event ids of one conversation commit in increasing order: a reader resuming
 * "after id N" can never miss an event that commits later with a smaller id.
 */
export async function lockConversation(tx: Prisma.TransactionClient, conversationId: string) {
  // A row lock lasts until the transaction ends: once taken, taking it again is a wasted round
  // trip (ingesting a message with its bot replies used to lock the same row eight times).
  if (lockedInTransaction.get(tx)?.has(conversationId)) return;
  await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversationId} FOR UPDATE`;
  markConversationLocked(tx, conversationId);
}

/**
 * Notes that the transaction holds the conversation's lock, taken by a `SELECT … FOR UPDATE` of its
 * row that also read what the caller needed: later lockConversation calls cost nothing.
 */
export function markConversationLocked(tx: Prisma.TransactionClient, conversationId: string) {
  let locked = lockedInTransaction.get(tx);
  if (!locked) lockedInTransaction.set(tx, (locked = new Set()));
  locked.add(conversationId);
}

/** The conversations each open transaction holds locked (forgotten with the transaction's client). */
const lockedInTransaction = new WeakMap<Prisma.TransactionClient, Set<string>>();

/**
 * Transaction options for control changes (take over, hand back, transfer ends): many callers may
 * queue on one conversation's row lock, so each gets room to wait its turn instead of failing on
 * Prisma's 2 s / 5 s defaults.
 */
export const LOCKING_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };
