import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";

const RECENT_DELIVERIES = 20;

/**
 * An organization's notification webhook for its owners and admins: the URL, whether a secret is
 * set (never the secret) and the latest deliveries. Null for anyone else.
 */
export async function getNotificationSettings(actor: Actor, organizationId: string) {
  if (!organizationIdsFor(actor, "share").includes(organizationId)) return null;
  const organization = await prisma.organization.findUnique({
    where: { id: organizationId },
    select: {
      name: true,
      notificationWebhookUrl: true,
      notificationWebhookSecret: true,
      notificationDeliveries: {
        orderBy: { createdAt: "desc" },
        take: RECENT_DELIVERIES,
        select: { id: true, event: true, status: true, attempts: true, lastStatusCode: true, lastError: true, createdAt: true, deliveredAt: true },
      },
    },
  });
  if (!organization) return null;
  return {
    organizationName: organization.name,
    webhookUrl: organization.notificationWebhookUrl,
    hasSecret: Boolean(organization.notificationWebhookSecret),
    deliveries: organization.notificationDeliveries,
  };
}
