import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { assertCanEditBot, botScope } from "@/lib/bots/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { privateUrlProblem } from "@/lib/webhooks/outbound";
import { botWebhookSchema, type BotWebhookInput } from "@/lib/webhooks/schemas";
import { parseOrThrow } from "@/lib/validation";

/**
 * Queues an operator message for the bot's webhook, inside the transaction that writes the
 * message, so a message is queued exactly when it exists. Only for conversations on a channel
 * other than the web chat (which reads messages live) and bots with a webhook URL and secret.
 * While the conversation is the target of a transfer, the contact's channel is still connected to
 * the source bot (its bridge posts there), so the source bot's webhook gets the message.
 * Returns the delivery's id, or null when nothing is to be delivered.
 */
export async function enqueueOperatorMessageDelivery(
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
  const enabled = webhookUrl !== "";
  const problem = enabled ? privateUrlProblem(webhookUrl) : null;
  if (problem) throw new AppError("bad_request", problem, { webhookUrl: [problem] });
  const secret = webhookSecret || bot.webhookSecret;
  if (enabled && !secret) {
    const message = "A webhook needs a secret to sign its deliveries.";
    throw new AppError("bad_request", message, { webhookSecret: [message] });
  }
  await prisma.$transaction(async (tx) => {
    await tx.bot.update({
      where: { id: bot.id },
      data: { webhookUrl: enabled ? webhookUrl : null, webhookSecret: enabled ? secret : null },
    });
    await recordAuditEvent(tx, {
      organizationId: bot.organizationId,
      actor: auditActorOf(actor),
      action: "bot.webhook_updated",
      // Never the secret.
      data: { botId: bot.id, webhookUrl: enabled ? webhookUrl : null },
    });
  });
  return { botId: bot.id, enabled };
}
