import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import type { MessageView } from "@/lib/conversations/message-view";
import { lockConversation } from "@/lib/conversations/lock";
import { env } from "@/lib/env";
import { publishConversationEvent } from "@/lib/events/publish";
import { pickVariables, readVariables, setConversationVariables } from "@/lib/flows/variables";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";

// A transfer hands a conversation (the source) from its bot to another bot of the same
// organization, on a conversation of that bot (the target), until the target gives control back
// or the transfer goes stale (PRODUCT.md §6). While it is open, the contact's messages are stored
// on the target and answered by the target's bot; the source only records the hand-over.

/** Why a transfer ended (Transfer.endReason). */
export type TransferEndReason = "given_back" | "stale";

/**
 * The source variable that remembers which variables the transfer carried, so they are carried
 * back when it ends (a Transfer row has no room for them). Removed when the transfer ends.
 */
export const CARRY_VARIABLES = "transfer_carry_variables";

/** A transfer whose contact stays silent this long (TRANSFER_STALE_MINUTES, default 30) closes. */
function staleCutoff(now: Date): Date {
  const minutes = env.TRANSFER_STALE_MINUTES;
  return new Date(now.getTime() - minutes * 60_000);
}

export const staleTransferWhere = (now: Date, conversationId?: string): Prisma.TransferWhereInput => ({
  endedAt: null,
  lastActivityAt: { lt: staleCutoff(now) },
  ...(conversationId ? { OR: [{ sourceConversationId: conversationId }, { targetConversationId: conversationId }] } : {}),
});

/** The "stale" condition, re-checked under the lock so a contact's late message wins. */
function stillDueWhere(reason: TransferEndReason, now: Date): Prisma.TransferWhereInput {
  return reason === "stale" ? { lastActivityAt: { lt: staleCutoff(now) } } : {};
}

/**
 * Ends one transfer and returns control to the source's bot: carries the carried variables back,
 * sets `transfer_ended` on the source and `transfer_active` false on the target, writes a system
 * line on both and a control event on the source. Conditional on the transfer still being open
 * (and, when stale, still silent), so concurrent callers end it exactly once; returns the system
 * lines it wrote, or null when another caller ended it first. Authorizes nothing: its callers are
 * the target's own flow (giveBackTransfers) and the system applying staleness.
 */
export async function endTransferUnchecked(
  tx: Prisma.TransactionClient,
  /** Who ends it, as History names them: the target bot's flow giving back, or the system. */
  by: Actor,
  transferId: string,
  reason: TransferEndReason,
  now = new Date(),
): Promise<MessageView[] | null> {
  const transfer = await tx.transfer.findUnique({
    where: { id: transferId },
    select: {
      sourceConversationId: true,
      targetConversationId: true,
      source: { select: { bot: { select: { name: true, organizationId: true } } } },
      target: { select: { bot: { select: { name: true } } } },
    },
  });
  if (!transfer) return null;
  const { sourceConversationId, targetConversationId } = transfer;
  // Source first, then target: the order the contact's messages take, so the two never deadlock.
  await lockConversation(tx, sourceConversationId);
  await lockConversation(tx, targetConversationId);
  const { count } = await tx.transfer.updateMany({
    where: { id: transferId, endedAt: null, ...stillDueWhere(reason, now) },
    data: { endedAt: now, endReason: reason },
  });
  if (count === 0) return null;

  const [source, target] = await Promise.all(
    [sourceConversationId, targetConversationId].map((id) =>
      tx.conversation.findUniqueOrThrow({ where: { id }, select: { variables: true } }).then((row) => readVariables(row.variables)),
    ),
  );
  const carried = source[CARRY_VARIABLES];
  const carry = Array.isArray(carried) ? carried.filter((name): name is string => typeof name === "string") : [];
  await setConversationVariables(tx, sourceConversationId, {
    ...pickVariables(target, carry),
    transfer_ended: true,
    [CARRY_VARIABLES]: undefined,
  });
  await setConversationVariables(tx, targetConversationId, { transfer_active: false });
  await tx.conversation.updateMany({ where: { id: sourceConversationId, controller: "TRANSFERRED" }, data: { controller: "BOT" } });

  const sourceBot = transfer.source.bot.name;
  const text = reason === "stale" ? `Control returned to ${sourceBot}: the transfer was inactive` : `Control returned to ${sourceBot}`;
  const messages = [
    await appendMessage(tx, { conversationId: targetConversationId, role: "SYSTEM", text }),
    await appendMessage(tx, { conversationId: sourceConversationId, role: "SYSTEM", text }),
  ];
  await publishConversationEvent(tx, sourceConversationId, { type: "control", controller: "BOT", operatorName: null });
  for (const conversationId of [sourceConversationId, targetConversationId]) {
    await recordAuditEvent(tx, {
      organizationId: transfer.source.bot.organizationId,
      conversationId,
      actor: auditActorOf(by),
      action: "transfer.ended",
      data: { transferId, sourceConversationId, targetConversationId, reason },
    });
  }
  return messages;
}

/**
 * Returns a conversation to its bot when it is marked TRANSFERRED but no open transfer is left
 * (the target conversation or bot was deleted with its transfers): a "disconnected" transfer
 * closes by itself. Returns the system line it wrote, or null when nothing was wrong. Called in
 * the transaction of a contact's message, which has authorized the contact.
 */
export async function releaseDisconnectedUnchecked(tx: Prisma.TransactionClient, conversationId: string): Promise<MessageView | null> {
  await lockConversation(tx, conversationId);
  const { count } = await tx.conversation.updateMany({
    where: { id: conversationId, controller: "TRANSFERRED", transfersOut: { none: { endedAt: null } } },
    data: { controller: "BOT" },
  });
  if (count === 0) return null;
  await setConversationVariables(tx, conversationId, { transfer_ended: true, [CARRY_VARIABLES]: undefined });
  const bot = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { bot: { select: { name: true } } } });
  const message = await appendMessage(tx, {
    conversationId,
    role: "SYSTEM",
    text: `Control returned to ${bot.bot.name}: the other bot is no longer available`,
  });
  await publishConversationEvent(tx, conversationId, { type: "control", controller: "BOT", operatorName: null });
  return message;
}

/** Marks that the contact wrote while transferred (in their authorized message's transaction): an active transfer does not go stale. */
export async function touchTransferUnchecked(tx: Prisma.TransactionClient, transferId: string, now = new Date()) {
  await tx.transfer.update({ where: { id: transferId }, data: { lastActivityAt: now } });
}

