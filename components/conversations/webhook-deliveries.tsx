import { RefreshWhilePending } from "@/components/conversations/refresh-while-pending";
import { RetryDeliveryButton } from "@/components/conversations/retry-delivery-button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { DeliveryView } from "@/lib/webhooks/queries";

const STATUS_LABELS = { PENDING: "Sending", DELIVERED: "Delivered", FAILED: "Failed" } as const;
const STATUS_CLASSES = { PENDING: "text-amber-700", DELIVERED: "text-green-700", FAILED: "text-red-700" } as const;

/**
 * Where the operator's messages stand on their way to the bot's webhook (non-web channels): the
 * contact only sees a message once it is delivered.
 */
export function WebhookDeliveries({
  deliveries,
  messageTexts,
  canRetry,
}: {
  deliveries: DeliveryView[];
  messageTexts: Map<string, string>;
  /** Whether the member may queue a failed delivery again (owners, admins, operators). */
  canRetry: boolean;
}) {
  if (deliveries.length === 0) return null;
  return (
    <section aria-labelledby="webhook-deliveries" className="rounded-lg border border-gray-200 bg-white p-4 text-sm">
      <h2 id="webhook-deliveries" className="mb-2 font-semibold">
        Operator messages sent to the channel
      </h2>
      {deliveries.some((delivery) => delivery.status === "PENDING") && <RefreshWhilePending />}
      <ul className="flex flex-col gap-1">
        {deliveries.map((delivery) => (
          <li key={delivery.messageId} data-testid="webhook-delivery" className="flex flex-wrap gap-2">
            {/* "Sending" next to "attempt 1 failed …" read as if all was well: after a failed attempt say Retrying. */}
            <span className={`font-medium ${STATUS_CLASSES[delivery.status]}`}>
              {delivery.status === "PENDING" && delivery.attempts > 0 ? "Retrying" : STATUS_LABELS[delivery.status]}
            </span>
            <span className="min-w-0 flex-1 truncate text-gray-800">{messageTexts.get(delivery.messageId) ?? "Operator message"}</span>
            <span className="text-gray-600">
              {delivery.status === "DELIVERED" && delivery.deliveredAt ? (
                <RelativeTime iso={delivery.deliveredAt.toISOString()} />
              ) : delivery.status === "PENDING" && delivery.attempts > 0 ? (
                <>
                  attempt {delivery.attempts} failed ({delivery.lastError}); retrying <RelativeTime iso={delivery.nextAttemptAt.toISOString()} />
                </>
              ) : delivery.status === "FAILED" ? (
                `gave up after ${delivery.attempts} attempts: ${delivery.lastError ?? "unknown error"}`
              ) : null}
            </span>
            {delivery.status === "FAILED" && canRetry && <RetryDeliveryButton deliveryId={delivery.id} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
