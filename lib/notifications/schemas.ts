import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { webhookSecretSchema, webhookUrlSchema } from "@/lib/webhooks/schemas";

/** The notification settings' webhook form (owners and admins of the organization). */
export const notificationWebhookSchema = z.object({
  organizationId: idSchema,
  webhookUrl: webhookUrlSchema,
  webhookSecret: webhookSecretSchema,
});

export type NotificationWebhookInput = z.input<typeof notificationWebhookSchema>;

/** "Retry" on a notification that was given up. */
export const retryNotificationSchema = z.object({ deliveryId: idSchema });

export type RetryNotificationInput = z.input<typeof retryNotificationSchema>;
