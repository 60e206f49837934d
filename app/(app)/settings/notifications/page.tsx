import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { retryNotificationDeliveryAction, saveNotificationWebhookAction } from "@/app/(app)/settings/notifications/actions";
import { WebhookForm } from "@/components/bots/webhook-form";
import { RetryDeliveryButton } from "@/components/conversations/retry-delivery-button";
import { NotificationSettings } from "@/components/inbox/notification-settings";
import { RelativeTime } from "@/components/ui/relative-time";
import { getActor } from "@/lib/auth/current-actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { getNotificationSettings } from "@/lib/notifications/queries";

export const metadata: Metadata = { title: "Notifications" };

const STATUS_CLASSES = { PENDING: "text-amber-700", DELIVERED: "text-green-700", FAILED: "text-red-700" } as const;

export default async function NotificationsPage() {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login?callbackUrl=/settings/notifications");
  const managed = organizationIdsFor(actor, "share");
  const found = await Promise.all(managed.map(async (id) => ({ id, settings: await getNotificationSettings(actor, id) })));
  const organizations = found.flatMap(({ id, settings }) => (settings ? [{ id, settings }] : []));
  return (
    <main className="flex flex-col gap-6">
      <h1 className="text-xl font-semibold">Notifications</h1>
      <section className="flex flex-col gap-2 rounded-lg border border-gray-200 bg-white p-4">
        <h2 className="font-semibold">In this browser</h2>
        <p className="text-sm text-gray-700">
          Hear when a contact needs a person, and of new messages in the chats you hold, while Switchboard is open in this browser.
        </p>
        <NotificationSettings />
      </section>
      {organizations.map(({ id, settings }) => (
        <section key={id} className="flex flex-col gap-3 rounded-lg border border-gray-200 bg-white p-4" aria-label={`Notification webhook of ${settings.organizationName}`}>
          <h2 className="font-semibold">Notification webhook · {settings.organizationName}</h2>
          <p className="text-sm text-gray-700">
            Switchboard POSTs <code>conversation.needs_human</code>, <code>takeover.started</code> and <code>takeover.ended</code> events
            here, signed like bot webhooks (Standard Webhooks), so your team can route them to its chat tool.
          </p>
          <WebhookForm
            saveAction={saveNotificationWebhookAction}
            fields={{ organizationId: id }}
            webhookUrl={settings.webhookUrl}
            hasSecret={settings.hasSecret}
          />
          {settings.deliveries.length > 0 && (
            <ul className="flex flex-col gap-1 text-sm" aria-label="Recent notifications">
              {settings.deliveries.map((delivery) => (
                <li key={delivery.id} data-testid="notification-delivery" className="flex flex-wrap items-center gap-2">
                  <span className={`font-medium ${STATUS_CLASSES[delivery.status]}`}>{delivery.status.toLowerCase()}</span>
                  <code>{delivery.event}</code>
                  <span className="text-gray-600">
                    <RelativeTime iso={delivery.createdAt.toISOString()} />
                    {delivery.lastError ? ` · attempt ${delivery.attempts}: ${delivery.lastError}` : ""}
                  </span>
                  {delivery.status === "FAILED" && <RetryDeliveryButton deliveryId={delivery.id} retryAction={retryNotificationDeliveryAction} />}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </main>
  );
}
