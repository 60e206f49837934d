import "server-only";
import { createHmac } from "node:crypto";
import { prisma } from "@/lib/db";
import { startPeriodicJob } from "@/lib/jobs/periodic";
import { postWebhookRequest } from "@/lib/webhooks/outbound";

/** Attempts before a delivery is given up (FAILED). */
export const MAX_DELIVERY_ATTEMPTS = 8;
const REQUEST_TIMEOUT_MS = 5_000;
const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * How far a claim pushes nextAttemptAt: longer than one attempt can take, so no other instance
 * picks the same attempt up meanwhile; if this instance dies mid-attempt, the delivery is retried
 * after it.
 */
const CLAIM_LEASE_MS = 60_000;
const MAX_ERROR_LENGTH = 500;

/** What the receiver gets (event "operator.message"). */
export type OperatorMessageEvent = {
  event: "operator.message";
  conversationId: string;
  contactExternalId: string;
  message: { id: string; text: string; authorName: string | null; createdAt: string };
};

/** `sha256=<hex HMAC-SHA256 of the raw body>`: receivers recompute it with the bot's secret. */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** Seconds to wait after the n-th failed attempt: 2, 4, 8, … at most 5 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * 1000, MAX_BACKOFF_MS);
}

export type DeliveryOutcome = "delivered" | "retry" | "failed" | "skipped";

/**
 * Makes one attempt at a delivery that is due. The attempt is claimed first with a conditional
 * update, so when several instances (or the immediate send and the retry loop) reach the same
 * delivery, exactly one sends it; the others get "skipped".
 */
export async function deliverWebhook(deliveryId: string, now = new Date()): Promise<DeliveryOutcome> {
  const { count } = await prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, status: "PENDING", nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) },
  });
  if (count === 0) return "skipped";

  const delivery = await prisma.webhookDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: {
      id: true,
      attempts: true,
      conversationId: true,
      messageId: true,
      bot: { select: { webhookUrl: true, webhookSecret: true } },
      conversation: { select: { contact: { select: { externalId: true } } } },
    },
  });
  const message = await prisma.message.findFirst({
    where: { id: delivery.messageId },
    select: { id: true, text: true, authorName: true, createdAt: true },
  });
  const attempts = delivery.attempts + 1;
  const { webhookUrl, webhookSecret } = delivery.bot;
  if (!webhookUrl || !webhookSecret || !message) {
    await prisma.webhookDelivery.update({
      where: { id: deliveryId },
      data: { status: "FAILED", lastError: !message ? "The message no longer exists." : "The bot no longer has a webhook." },
    });
    return "failed";
  }

  const event: OperatorMessageEvent = {
    event: "operator.message",
    conversationId: delivery.conversationId,
    contactExternalId: delivery.conversation.contact.externalId,
    message: { id: message.id, text: message.text, authorName: message.authorName, createdAt: message.createdAt.toISOString() },
  };
  const body = JSON.stringify(event);
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    statusCode = await postWebhookRequest(
      webhookUrl,
      body,
      {
        "Content-Type": "application/json",
        "User-Agent": "Switchboard-Webhook/1",
        "X-Switchboard-Signature": signWebhookBody(body, webhookSecret),
        "X-Switchboard-Delivery": delivery.id,
      },
      REQUEST_TIMEOUT_MS,
    );
    if (statusCode < 200 || statusCode > 299) error = `The webhook answered HTTP ${statusCode}.`;
  } catch (thrown) {
    const failure = thrown instanceof Error ? thrown : new Error(String(thrown));
    error =
      failure.name === "TimeoutError" || failure.name === "AbortError"
        ? "The webhook did not answer within 5 seconds."
        : failure.name === "PrivateAddressError"
          ? failure.message
          : `Request failed: ${failure.message}`;
  }

  const finished = new Date();
  if (error === null) {
    await prisma.webhookDelivery.update({
      where: { id: deliveryId },
      data: { status: "DELIVERED", attempts, lastStatusCode: statusCode, lastError: null, deliveredAt: finished },
    });
    return "delivered";
  }
  const givenUp = attempts >= MAX_DELIVERY_ATTEMPTS;
  await prisma.webhookDelivery.update({
    where: { id: deliveryId },
    data: {
      status: givenUp ? "FAILED" : "PENDING",
      attempts,
      lastStatusCode: statusCode,
      lastError: error.slice(0, MAX_ERROR_LENGTH),
      nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
    },
  });
  return givenUp ? "failed" : "retry";
}

/** First attempt right after the message commits, without making the operator wait for it. */
export function deliverInBackground(deliveryId: string) {
  deliverWebhook(deliveryId).catch((error: unknown) => console.error("Webhook delivery failed:", error));
}

/** One pass of the retry loop: attempts every due delivery (oldest first). Returns the outcomes. */
export async function deliverDueWebhooks(now = new Date(), limit = 50): Promise<DeliveryOutcome[]> {
  const due = await prisma.webhookDelivery.findMany({
    where: { status: "PENDING", nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true },
  });
  const outcomes: DeliveryOutcome[] = [];
  for (const { id } of due) {
    try {
      outcomes.push(await deliverWebhook(id, now));
    } catch (error) {
      console.error("Webhook delivery failed:", error);
    }
  }
  return outcomes;
}

/**
 * Retries due webhook deliveries every `intervalMs`. Every instance runs one; the claim in
 * deliverWebhook keeps two instances from sending the same attempt.
 */
export function startWebhookRetryLoop(intervalMs = 2000) {
  startPeriodicJob("Webhook retry pass", intervalMs, () => deliverDueWebhooks());
}
