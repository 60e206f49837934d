"use client";

import { useActionState } from "react";
import { retryWebhookDeliveryAction } from "@/app/(app)/conversations/[id]/webhook-actions";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";

type RetryAction = (previous: ActionResult<{ deliveryId: string }> | null, form: FormData) => Promise<ActionResult<{ deliveryId: string }>>;

/**
 * Queues a failed webhook delivery again (a bot webhook's, or with `retryAction` another kind's);
 * says why when it cannot (already delivered, no permission).
 */
export function RetryDeliveryButton({ deliveryId, retryAction = retryWebhookDeliveryAction }: { deliveryId: string; retryAction?: RetryAction }) {
  const [state, retry, retrying] = useActionState(retryAction, null);
  return (
    <form action={retry} className="flex items-center gap-2">
      <input type="hidden" name="deliveryId" value={deliveryId} />
      <Button type="submit" variant="secondary" disabled={retrying} className="px-2 py-0.5 text-xs">
        {retrying ? "Retrying…" : "Retry"}
      </Button>
      <span role="status" className="text-xs text-red-700">
        {state && !state.ok ? state.error : ""}
      </span>
    </form>
  );
}
