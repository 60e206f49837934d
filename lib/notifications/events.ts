import "server-only";
import { afterCommit } from "@/lib/db-client";
import { env } from "@/lib/env";
import { deliverNotificationInBackground } from "@/lib/notifications/deliver";
import type { Prisma } from "@/lib/generated/prisma/client";

// What an organization's notification webhook receives (README "Notification webhook"). Built
// when the event happens and stored with the delivery, so a retry sends the same body. Only what
// a team's chat tool needs to route the event: no owner, no user ids or emails, no tokens, no
// share links (a takeover link is a capability), no bot configuration or variables.

export type NotificationEventName = "conversation.needs_human" | "takeover.started" | "takeover.ended";

type ConversationSummary = {
  id: string;
  title: string;
  channel: string;
  botName: string;
  contactName: string;
  /** The conversation in the app, for signed-in members. */
  url: string;
};

export type NotificationPayload =
  | { event: "conversation.needs_human"; occurredAt: string; conversation: ConversationSummary; note: string | null }
  | { event: "takeover.started"; occurredAt: string; conversation: ConversationSummary; operatorName: string }
  | {
      event: "takeover.ended";
      occurredAt: string;
      conversation: ConversationSummary;
      operatorName: string;
      /** handed_back, expired, revoked, stale, … */
      reason: string;
      sessionMinutes: number;
    };

/** The conversation as every notification names it, read inside the writing transaction. */
export async function conversationSummary(
  tx: Prisma.TransactionClient,
  conversationId: string,
): Promise<{ organizationId: string; summary: ConversationSummary }> {
  const row = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { id: true, title: true, channel: true, bot: { select: { name: true, organizationId: true } }, contact: { select: { name: true } } },
  });
  return {
    organizationId: row.bot.organizationId,
    summary: {
      id: row.id,
      title: row.title,
      channel: row.channel,
      botName: row.bot.name,
      contactName: row.contact.name,
      url: `${env.APP_URL}/conversations/${row.id}`,
    },
  };
}

/**
 * Queues an event for the organization's notification webhook inside the transaction of the
 * change it reports, so it is sent exactly when the change commits (the retry loop sends it
 * within seconds). Nothing when the organization has no webhook. Authorizes nothing: its callers
 * are the change itself.
 */
export async function enqueueNotificationUnchecked(
  tx: Prisma.TransactionClient,
  organizationId: string,
  payload: NotificationPayload,
): Promise<string | null> {
  const organization = await tx.organization.findUniqueOrThrow({
    where: { id: organizationId },
    select: { notificationWebhookUrl: true, notificationWebhookSecret: true },
  });
  if (!organization.notificationWebhookUrl || !organization.notificationWebhookSecret) return null;
  const delivery = await tx.notificationDelivery.create({
    data: { organizationId, event: payload.event, payload: payload as unknown as Prisma.InputJsonObject },
    select: { id: true },
  });
  // The first attempt right after the commit; the retry loop covers a lost one.
  afterCommit(() => deliverNotificationInBackground(delivery.id));
  return delivery.id;
}
