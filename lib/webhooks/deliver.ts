import "server-only";
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { startPeriodicJob } from "@/lib/jobs/periodic";
import { postWebhookRequest } from "@/lib/webhooks/outbound";

const REQUEST_TIMEOUT_MS = 5_000;
/**
 * How far a claim pushes nextAttemptAt: longer than one attempt can take, so no other instance
 * picks the same attempt up meanwhile; if this instance dies mid-attempt, the delivery is retried
 * after it.
 */
export const CLAIM_LEASE_MS = 60_000;
const MAX_ERROR_LENGTH = 500;

/**
 * What the receiver gets: "operator.message" for what an operator wrote, "bot.message" for what
 * the bot said on its own while no channel request was waiting for it (its on_hand_back rule).
 */
export type OperatorMessageEvent = {
  event: "operator.message" | "bot.message";
  conversationId: string;
  contactExternalId: string;
  message: { id: string; text: string; authorName: string | null; createdAt: string };
};

/**
 * The bot's webhook secret as a Standard Webhooks secret (`whsec_` + base64 of the key), which
 * receivers give their Standard Webhooks library. A secret saved in that form is used as it is;
 * any other (secrets typed in before Standard Webhooks signing) is the key itself, as UTF-8
 * bytes, so existing receivers keep their secret and only wrap it: `whsec_` + base64(secret).
 */
export function standardWebhookSecret(secret: string): string {
  if (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 === 2) return secret;
  return `whsec_${Buffer.from(secret, "utf8").toString("base64")}`;
}

/**
 * The signature headers of one attempt, per the Standard Webhooks spec: `webhook-id` is the
 * delivery's id, the same on every retry, so a receiver that saw it already can drop the repeat;
 * `webhook-timestamp` is when this attempt is sent, and the signature covers id, timestamp and
 * body, so a captured request cannot be replayed once the receiver's tolerance (5 minutes in the
 * libraries) has passed.
 */
export function signWebhookRequest(deliveryId: string, body: string, secret: string, sentAt = new Date()): Record<string, string> {
  return {
    "webhook-id": deliveryId,
    "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
    "webhook-signature": new Webhook(standardWebhookSecret(secret)).sign(deliveryId, sentAt, body),
  };
}

/**
 * `sha256=<hex HMAC-SHA256 of the raw body>`, the signature before Standard Webhooks. Still sent
 * (X-Switchboard-Signature) so receivers written against it keep working while they move to the
 * webhook-signature header; it covers no timestamp, so only the new one protects against replay.
 */
export function signWebhookBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

/** The waits between attempts (WEBHOOK_RETRY_SCHEDULE); by default 5 s … 8 h, over 31 hours in all. */
export function retrySchedule(): readonly number[] {
  return env.WEBHOOK_RETRY_SCHEDULE;
}

/** Attempts before a delivery is given up (FAILED): one more than the schedule has waits. */
export function maxDeliveryAttempts(): number {
  return retrySchedule().length + 1;
}

/** Milliseconds to wait after the n-th failed attempt (n ≥ 1). */
export function backoffMs(attempts: number): number {
  const schedule = retrySchedule();
  return schedule[Math.min(attempts, schedule.length) - 1];
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
    select: { id: true, role: true, text: true, authorName: true, createdAt: true },
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
    event: message.role === "BOT" ? "bot.message" : "operator.message",
    conversationId: delivery.conversationId,
    contactExternalId: delivery.conversation.contact.externalId,
    message: { id: message.id, text: message.text, authorName: message.authorName, createdAt: message.createdAt.toISOString() },
  };
  const { statusCode, error } = await sendSignedWebhook(webhookUrl, webhookSecret, delivery.id, JSON.stringify(event));

  const result = attemptOutcome({ attempts, statusCode, error }, now);
  await prisma.webhookDelivery.update({ where: { id: deliveryId }, data: result.data });
  return result.outcome;
}

/** First attempt right after the message commits, without making the operator wait for it. */
export function deliverInBackground(deliveryId: string) {
  deliverWebhook(deliveryId).catch((error: unknown) => console.error("Webhook delivery failed:", error));
}

/** One pass of the retry loop: attempts every due delivery (oldest first). Returns the outcomes. */
export async function deliverDueWebhooks(now = new Date(), limit = 50): Promise<DeliveryOutcome[]> {
  const due = await prisma.webhookDelivery.findMany(dueDeliveries(now, limit));
  return attemptEach("Webhook delivery", due, (id) => deliverWebhook(id, now));
}

/** The query for the deliveries (bot webhooks or notifications) whose attempt is due, oldest first. */
export function dueDeliveries(now: Date, limit: number) {
  return {
    where: { status: "PENDING" as const, nextAttemptAt: { lte: now } },
    orderBy: { nextAttemptAt: "asc" as const },
    take: limit,
    select: { id: true },
  };
}

/** Attempts each delivery in turn; one that throws is logged and does not stop the others. */
export async function attemptEach(label: string, due: { id: string }[], attempt: (id: string) => Promise<DeliveryOutcome>): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  for (const { id } of due) {
    try {
      outcomes.push(await attempt(id));
    } catch (error) {
      console.error(`${label} failed:`, error);
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

/**
 * POSTs one signed attempt (Standard Webhooks headers plus the older X-Switchboard-Signature) and
 * says how it went: `error` is null for a 2xx answer, else a message fit to show the owner.
 */
export async function sendSignedWebhook(
  url: string,
  secret: string,
  deliveryId: string,
  body: string,
): Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const statusCode = await postWebhookRequest(
      url,
      body,
      {
        "Content-Type": "application/json",
        "User-Agent": "Switchboard-Webhook/1",
        ...signWebhookRequest(deliveryId, body, secret),
        "X-Switchboard-Signature": signWebhookBody(body, secret),
        "X-Switchboard-Delivery": deliveryId,
      },
      REQUEST_TIMEOUT_MS,
    );
    return { statusCode, error: statusCode < 200 || statusCode > 299 ? `The webhook answered HTTP ${statusCode}.` : null };
  } catch (thrown) {
    const failure = thrown instanceof Error ? thrown : new Error(String(thrown));
    const error =
      failure.name === "TimeoutError" || failure.name === "AbortError"
        ? "The webhook did not answer within 5 seconds."
        : failure.name === "PrivateAddressError"
          ? failure.message
          : `Request failed: ${failure.message}`;
    return { statusCode: null, error };
  }
}

/** What a finished attempt writes: delivered, or the next try (or given up) with the error. */
export function attemptOutcome(
  { attempts, statusCode, error }: { attempts: number; statusCode: number | null; error: string | null },
  now: Date,
) {
  if (error === null) {
    return {
      outcome: "delivered" as const,
      data: { status: "DELIVERED" as const, attempts, lastStatusCode: statusCode, lastError: null, deliveredAt: new Date() },
    };
  }
  const givenUp = attempts >= maxDeliveryAttempts();
  return {
    outcome: givenUp ? ("failed" as const) : ("retry" as const),
    data: {
      status: givenUp ? ("FAILED" as const) : ("PENDING" as const),
      attempts,
      lastStatusCode: statusCode,
      lastError: error.slice(0, MAX_ERROR_LENGTH),
      nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)),
    },
  };
}
