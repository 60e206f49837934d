import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import { lockConversation } from "@/lib/conversations/lock";
import { getEventTransport } from "@/lib/events/transport";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conversationSummary, enqueueNotificationUnchecked } from "@/lib/notifications/events";

// "Needs a person": a conversation whose contact waits for a member. Set by the flow action
// request_human or the channel API's needsHuman; cleared when an operator takes over.

export const MAX_NEEDS_HUMAN_NOTE = 500;

/**
 * Wakes the organization's inbox streams for a change that writes no conversation event (the
 * per-conversation streams it also wakes read nothing new).
 */
export function announceInboxChange(tx: Prisma.TransactionClient, conversationId: string) {
  return getEventTransport().announce(tx, { conversationId, id: "0" });
}

/**
 * Marks the conversation as waiting for a person, inside the caller's transaction (a flow's run or
 * a channel message, which have authorized the write), and tells the team: History, the inbox
 * streams and the organization's notification webhook. Once per wait: a conversation that is
 * already waiting, or that an operator holds, is left alone. Returns whether it started waiting.
 */
export async function requestHumanUnchecked(
  tx: Prisma.TransactionClient,
  conversationId: string,
  { note, requestedBy }: { note?: string | null; requestedBy: { type: "bot" | "contact"; name: string } },
): Promise<boolean> {
  await lockConversation(tx, conversationId);
  const now = new Date();
  const trimmed = note?.trim().slice(0, MAX_NEEDS_HUMAN_NOTE) || null;
  const { count } = await tx.conversation.updateMany({
    where: { id: conversationId, needsHumanAt: null, controller: { not: "OPERATOR" } },
    data: { needsHumanAt: now, needsHumanNote: trimmed },
  });
  if (count === 0) return false;
  const { organizationId, summary } = await conversationSummary(tx, conversationId);
  await recordAuditEvent(tx, {
    organizationId,
    conversationId,
    actor: requestedBy,
    action: "conversation.needs_human",
    data: { note: trimmed },
  });
  await enqueueNotificationUnchecked(tx, organizationId, {
    event: "conversation.needs_human",
    occurredAt: now.toISOString(),
    conversation: summary,
    note: trimmed,
  });
  await announceInboxChange(tx, conversationId);
  return true;
}

/** An operator has the conversation: nobody needs to be asked any more. Inside the takeover's transaction. */
export async function clearNeedsHumanUnchecked(tx: Prisma.TransactionClient, conversationId: string): Promise<void> {
  await tx.conversation.updateMany({
    where: { id: conversationId, needsHumanAt: { not: null } },
    data: { needsHumanAt: null, needsHumanNote: null },
  });
}
