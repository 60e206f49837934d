import "server-only";
import { runHandBackRule } from "@/lib/flows/hand-back";
import type { Prisma } from "@/lib/generated/prisma/client";
import { clearNeedsHumanUnchecked } from "@/lib/inbox/needs-human";
import { conversationSummary, enqueueNotificationUnchecked } from "@/lib/notifications/events";
import { enqueueChannelDeliveryUnchecked } from "@/lib/webhooks/mutations";

// What the inbox and the team's notifications add to a takeover's start and end. Called by
// lib/takeover inside the transaction that changes control, right after the change, so each
// runs exactly when (and as often as) the change commits.

/** An operator took over: the conversation no longer waits for a person; the team hears of it. */
export async function afterTakeoverStartedUnchecked(tx: Prisma.TransactionClient, sessionId: string): Promise<void> {
  const session = await tx.takeoverSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { conversationId: true, operatorName: true, startedAt: true },
  });
  await clearNeedsHumanUnchecked(tx, session.conversationId);
  const { organizationId, summary } = await conversationSummary(tx, session.conversationId);
  await enqueueNotificationUnchecked(tx, organizationId, {
    event: "takeover.started",
    occurredAt: session.startedAt.toISOString(),
    conversation: summary,
    operatorName: session.operatorName,
  });
}

/**
 * A takeover session has just ended (by whatever cause): the team hears of it, and the bot's
 * on_hand_back rule runs. Only the call that actually ended the session may call this.
 */
export async function afterTakeoverEndedUnchecked(tx: Prisma.TransactionClient, sessionId: string): Promise<void> {
  const session = await tx.takeoverSession.findUniqueOrThrow({
    where: { id: sessionId },
    select: { conversationId: true, operatorName: true, startedAt: true, endedAt: true, endReason: true },
  });
  const endedAt = session.endedAt ?? new Date();
  const reason = (session.endReason ?? "HANDED_BACK").toLowerCase();
  const { organizationId, summary } = await conversationSummary(tx, session.conversationId);
  await enqueueNotificationUnchecked(tx, organizationId, {
    event: "takeover.ended",
    occurredAt: endedAt.toISOString(),
    conversation: summary,
    operatorName: session.operatorName,
    reason,
    sessionMinutes: Math.max(0, Math.round((endedAt.getTime() - session.startedAt.getTime()) / 60_000)),
  });
  const said = await runHandBackRule(tx, session.conversationId, { operatorName: session.operatorName, reason, startedAt: session.startedAt, endedAt });
  // No channel request waits for these replies: a non-web channel hears them through the bot's
  // webhook (the retry loop sends them within seconds of the commit).
  for (const message of said) await enqueueChannelDeliveryUnchecked(tx, { conversationId: session.conversationId, messageId: message.id });
}
