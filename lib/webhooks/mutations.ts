import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { assertCanEditBot, botScope } from "@/lib/bots/policy";
import { authorizeConversation, conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { deliverInBackground } from "@/lib/webhooks/deliver";
import { resolveWebhookTarget } from "@/lib/webhooks/target";
import { botWebhookSchema, retryDeliverySchema, type BotWebhookInput, type RetryDeliveryInput } from "@/lib/webhooks/schemas";
import { parseOrThrow } from "@/lib/validation";

/**
 * Queues an operator message for the bot's webhook, inside the transaction that writes the
 * message, so a message is queued exactly when it exists. Only for conversations on a channel
 * other than the web chat (which reads messages live) and bots with a webhook URL and secret.
 * While the conversation is the target of a transfer, the contact's channel is still connected to
 * the source bot (its bridge posts there), so the source bot's webhook gets the message.
 * Returns the delivery's id, or null when nothing is to be delivered. Authorizes nothing: it runs
 * inside sendOperatorMessage's transaction, which has authorized the operator.
 */
export async function enqueueChannelDeliveryUnchecked(
  tx: Prisma.TransactionClient,
  { conversationId, messageId }: { conversationId: string; messageId: string },
): Promise<string | null> {
  const conversation = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { channel: true, botId: true, bot: { select: { webhookUrl: true, webhookSecret: true } } },
  });
  if (conversation.channel === "web") return null;
  const transfer = await tx.transfer.findFirst({
    where: { targetConversationId: conversationId, endedAt: null },
    orderBy: { startedAt: "desc" },
    select: { source: { select: { botId: true, bot: { select: { webhookUrl: true, webhookSecret: true } } } } },
  });
  const { botId, bot } = transfer?.source ?? conversation;
  if (!bot.webhookUrl || !bot.webhookSecret) return null;
  const delivery = await tx.webhookDelivery.create({ data: { botId, conversationId, messageId }, select: { id: true } });
  return delivery.id;
}

/**
 * Sets a bot's webhook, or clears it (empty URL). An empty secret keeps the current one, so the
 * form never has to show it. Owners and admins of the bot's organization only.
 */
export async function updateBotWebhook(actor: Actor, input: BotWebhookInput): Promise<{ botId: string; enabled: boolean }> {
  const { botId, webhookUrl, webhookSecret } = parseOrThrow(botWebhookSchema, input);
  const bot = await prisma.bot.findFirst({
    where: { AND: [{ id: botId }, botScope(actor)] },
    select: { id: true, organizationId: true, webhookSecret: true },
  });
  if (!bot) throw new AppError("not_found", "Bot not found.");
  assertCanEditBot(actor, bot.organizationId);
  const target = resolveWebhookTarget(webhookUrl, webhookSecret, bot.webhookSecret);
  await prisma.$transaction(async (tx) => {
    await tx.bot.update({
      where: { id: bot.id },
      data: { webhookUrl: target.url, webhookSecret: target.secret },
    });
    await recordAuditEvent(tx, {
      organizationId: bot.organizationId,
      actor: auditActorOf(actor),
      action: "bot.webhook_updated",
      // Never the secret.
      data: { botId: bot.id, webhookUrl: target.url },
    });
  });
  return { botId: bot.id, enabled: target.enabled };
}

/**
 * Queues a delivery that was given up (FAILED) again, with a fresh retry schedule, and makes its
 * first attempt now; the receiver sees the same webhook-id, so it can tell a repeat. Owners, admins
 * and operators of the conversation's organization only. The update is conditional on FAILED, so
 * a delivery that is delivered or still being tried is left alone (conflict), and two clicks queue
 * it once.
 */
export async function retryWebhookDelivery(actor: Actor, input: RetryDeliveryInput): Promise<{ deliveryId: string }> {
  const { deliveryId } = parseOrThrow(retryDeliverySchema, input);
  const requeued = await prisma.$transaction(async (tx) => {
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: deliveryId, status: "FAILED", conversation: conversationScope(actor, "operate") },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date() },
    });
    if (count === 0) return false;
    const delivery = await tx.webhookDelivery.findUniqueOrThrow({
      where: { id: deliveryId },
      select: { conversationId: true, messageId: true, bot: { select: { organizationId: true } } },
    });
    await recordAuditEvent(tx, {
      organizationId: delivery.bot.organizationId,
      conversationId: delivery.conversationId,
      actor: auditActorOf(actor),
      action: "webhook.delivery_retried",
      data: { deliveryId, messageId: delivery.messageId },
    });
    return true;
  });
  if (!requeued) {
    const delivery = await prisma.webhookDelivery.findFirst({
      where: { id: deliveryId, conversation: conversationScope(actor, "read") },
      select: { status: true, conversationId: true },
    });
    if (!delivery) throw new AppError("not_found", "Delivery not found.");
    // A member whose role reads the conversation but may not operate it: forbidden.
    await authorizeConversation(prisma, actor, delivery.conversationId, "operate");
    throw new AppError(
      "conflict",
      delivery.status === "DELIVERED" ? "This message was delivered already." : "This message is being sent already.",
    );
  }
  deliverInBackground(deliveryId);
  return { deliveryId };
}
