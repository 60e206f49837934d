import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { assertOrganizationPermission, organizationIdsFor } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { deliverNotificationInBackground } from "@/lib/notifications/deliver";
import {
  notificationWebhookSchema,
  retryNotificationSchema,
  type NotificationWebhookInput,
  type RetryNotificationInput,
} from "@/lib/notifications/schemas";
import { parseOrThrow } from "@/lib/validation";
import { resolveWebhookTarget } from "@/lib/webhooks/target";

// An organization's notification webhook is its owners' and admins' (the "share" role set, like
// bot settings): other members and every non-member get "not found" or "forbidden".

function assertManagesNotifications(actor: Actor, organizationId: string) {
  if (actor.kind !== "user") throw new AppError("not_found", "Organization not found.");
  assertOrganizationPermission(actor, organizationId, "share", "Organization");
}

/**
 * Sets the organization's notification webhook, or clears it (empty URL). An empty secret keeps
 * the current one, so the form never shows it.
 */
export async function updateNotificationWebhook(actor: Actor, input: NotificationWebhookInput): Promise<{ enabled: boolean }> {
  const { organizationId, webhookUrl, webhookSecret } = parseOrThrow(notificationWebhookSchema, input);
  assertManagesNotifications(actor, organizationId);
  const current = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId }, select: { notificationWebhookSecret: true } });
  const target = resolveWebhookTarget(webhookUrl, webhookSecret, current.notificationWebhookSecret);
  await prisma.$transaction(async (tx) => {
    await tx.organization.update({
      where: { id: organizationId },
      data: { notificationWebhookUrl: target.url, notificationWebhookSecret: target.secret },
    });
    await recordAuditEvent(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: "organization.notification_webhook_updated",
      // Never the secret.
      data: { webhookUrl: target.url },
    });
  });
  return { enabled: target.enabled };
}

/**
 * Queues a notification that was given up (FAILED) again with a fresh schedule and tries it now;
 * the receiver sees the same webhook-id. Conditional on FAILED, so two clicks queue it once.
 */
export async function retryNotificationDelivery(actor: Actor, input: RetryNotificationInput): Promise<{ deliveryId: string }> {
  const { deliveryId } = parseOrThrow(retryNotificationSchema, input);
  const { count } = await prisma.notificationDelivery.updateMany({
    where: { id: deliveryId, status: "FAILED", organizationId: { in: organizationIdsFor(actor, "share") } },
    data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date() },
  });
  if (count === 0) {
    const delivery = await prisma.notificationDelivery.findFirst({
      where: { id: deliveryId, organizationId: { in: organizationIdsFor(actor, "read") } },
      select: { organizationId: true },
    });
    if (!delivery) throw new AppError("not_found", "Delivery not found.");
    assertManagesNotifications(actor, delivery.organizationId);
    throw new AppError("conflict", "This notification was delivered already or is being sent.");
  }
  deliverNotificationInBackground(deliveryId);
  return { deliveryId };
}
