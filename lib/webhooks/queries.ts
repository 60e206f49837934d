import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope, organizationIdsFor } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import type { DeliveryStatus } from "@/lib/generated/prisma/client";

/** Where an operator message stands on its way to the bot's webhook. */
export type DeliveryView = {
  /** Also the `webhook-id` the receiver sees on every attempt. */
  id: string;
  messageId: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date;
  deliveredAt: Date | null;
};

/**
 * The webhook deliveries of a conversation's operator messages, for its readers (none for a
 * conversation the actor may not read). Keyed by message id by the caller to show beside each
 * operator message.
 */
export async function listDeliveries(actor: Actor, conversationId: string): Promise<DeliveryView[]> {
  return prisma.webhookDelivery.findMany({
    where: { conversationId, conversation: conversationScope(actor, "read") },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      messageId: true,
      status: true,
      attempts: true,
      lastStatusCode: true,
      lastError: true,
      nextAttemptAt: true,
      deliveredAt: true,
    },
  });
}

/** A bot's webhook settings for its editors: the URL and whether a secret is set (never the secret). */
export async function getBotWebhook(actor: Actor, botId: string): Promise<{ webhookUrl: string | null; hasSecret: boolean } | null> {
  const bot = await prisma.bot.findFirst({
    where: { id: botId, organizationId: { in: organizationIdsFor(actor, "share") } },
    select: { webhookUrl: true, webhookSecret: true },
  });
  return bot ? { webhookUrl: bot.webhookUrl, hasSecret: Boolean(bot.webhookSecret) } : null;
}
