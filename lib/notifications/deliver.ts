import "server-only";
import { prisma } from "@/lib/db";
import { startPeriodicJob } from "@/lib/jobs/periodic";
import { attemptEach, attemptOutcome, CLAIM_LEASE_MS, dueDeliveries, sendSignedWebhook, type DeliveryOutcome } from "@/lib/webhooks/deliver";

/**
 * Makes one attempt at a due notification, signed like bot webhooks (Standard Webhooks, the
 * delivery id as webhook-id) and retried on the same schedule. Claimed with a conditional update
 * first, so concurrent instances send each attempt once.
 */
export async function deliverNotification(deliveryId: string, now = new Date()): Promise<DeliveryOutcome> {
  const { count } = await prisma.notificationDelivery.updateMany({
    where: { id: deliveryId, status: "PENDING", nextAttemptAt: { lte: now } },
    data: { nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) },
  });
  if (count === 0) return "skipped";
  const delivery = await prisma.notificationDelivery.findUniqueOrThrow({
    where: { id: deliveryId },
    select: { id: true, attempts: true, payload: true, organization: { select: { notificationWebhookUrl: true, notificationWebhookSecret: true } } },
  });
  const { notificationWebhookUrl: url, notificationWebhookSecret: secret } = delivery.organization;
  if (!url || !secret) {
    await prisma.notificationDelivery.update({ where: { id: deliveryId }, data: { status: "FAILED", lastError: "The organization no longer has a notification webhook." } });
    return "failed";
  }
  const { statusCode, error } = await sendSignedWebhook(url, secret, delivery.id, JSON.stringify(delivery.payload));
  const result = attemptOutcome({ attempts: delivery.attempts + 1, statusCode, error }, now);
  await prisma.notificationDelivery.update({ where: { id: deliveryId }, data: result.data });
  return result.outcome;
}

/** An attempt that nobody waits for (right after the event commits). */
export function deliverNotificationInBackground(deliveryId: string) {
  deliverNotification(deliveryId).catch((error: unknown) => console.error("Notification delivery failed:", error));
}

/** One pass of the retry loop over due notifications, oldest first. */
export async function deliverDueNotifications(now = new Date(), limit = 50): Promise<DeliveryOutcome[]> {
  const due = await prisma.notificationDelivery.findMany(dueDeliveries(now, limit));
  return attemptEach("Notification delivery", due, (id) => deliverNotification(id, now));
}

/** Sends due notifications every `intervalMs`, in every instance (the claim keeps attempts single). */
export function startNotificationLoop(intervalMs = 1000) {
  startPeriodicJob("Notification delivery pass", intervalMs, () => deliverDueNotifications());
}
