"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { retryWebhookDelivery } from "@/lib/webhooks/mutations";
import { retryDeliverySchema } from "@/lib/webhooks/schemas";

/**
 * "Retry" on a failed webhook delivery: queues it again (lib/webhooks/mutations.ts authorizes:
 * owners, admins and operators of the conversation's organization; others get 404 or 403).
 */
export const retryWebhookDeliveryAction = userAction(retryDeliverySchema, async (input, actor) => {
  const result = await retryWebhookDelivery(actor, input);
  revalidatePath("/conversations/[id]", "page");
  return result;
});
