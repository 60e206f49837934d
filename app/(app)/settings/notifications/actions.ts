"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { retryNotificationDelivery, updateNotificationWebhook } from "@/lib/notifications/mutations";
import { notificationWebhookSchema, retryNotificationSchema } from "@/lib/notifications/schemas";

/** Sets or clears the organization's notification webhook (owners and admins; lib/notifications authorizes). */
export const saveNotificationWebhookAction = userAction(notificationWebhookSchema, async (input, actor) => {
  const result = await updateNotificationWebhook(actor, input);
  revalidatePath("/settings/notifications");
  return result;
});

/** "Retry" on a notification that was given up. */
export const retryNotificationDeliveryAction = userAction(retryNotificationSchema, async (input, actor) => {
  const result = await retryNotificationDelivery(actor, input);
  revalidatePath("/settings/notifications");
  return result;
});
