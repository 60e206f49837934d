import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { deliverDueNotifications } from "@/lib/notifications/deliver";
import { retryNotificationDelivery, updateNotificationWebhook } from "@/lib/notifications/mutations";
import { getNotificationSettings } from "@/lib/notifications/queries";
import { handBackConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { postAsChannel } from "@/lib/testing/actors";
import { expectAppError } from "@/lib/testing/assertions";
import { createMember, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";
import { closeWebhookReceivers, startWebhookReceiver, verifyAsReceiver, type ReceivedWebhook } from "@/lib/testing/webhook-receiver";

// An organization's notification webhook: conversation.needs_human, takeover.started and
// takeover.ended, signed like bot webhooks, set by owners and admins only.

const SECRET = "a-notification-secret-of-some-length";

beforeEach(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
});
afterEach(closeWebhookReceivers);

async function waitFor<T>(read: () => T | Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const events = (received: ReceivedWebhook[]) => received.map((request) => (JSON.parse(request.body) as { event: string }).event);

describe("the organization's notification webhook", () => {
  it("receives needs_human, takeover.started and takeover.ended, signed, with nothing about the owner and no links or tokens", async () => {
    const hook = await startWebhookReceiver();
    const org = await createOrganization();
    await updateNotificationWebhook(org.owner.actor, { organizationId: org.organization.id, webhookUrl: hook.url, webhookSecret: SECRET });

    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", contactName: "Ada", text: "A person please" }, { needsHuman: true });
    const { secret } = await takeOverConversation(org.owner.actor, { conversationId, operatorName: "Dana" });
    await handBackConversation(org.owner.actor, { conversationId, secret });
    await waitFor(() => hook.received, (received) => received.length >= 3);
    // Delivered once each, whichever of the immediate attempt and the loop got there first.
    await deliverDueNotifications();

    expect(events(hook.received).sort()).toEqual(["conversation.needs_human", "takeover.ended", "takeover.started"]);
    const byEvent = Object.fromEntries(hook.received.map((request) => [JSON.parse(request.body).event, request]));
    for (const request of hook.received) {
      expect(verifyAsReceiver(request, SECRET)).toEqual(JSON.parse(request.body));
      expect(() => verifyAsReceiver(request, `${SECRET}x`)).toThrow();
      expect(request.body).not.toContain(org.owner.email);
      expect(request.body).not.toContain(org.owner.name);
      expect(request.body).not.toMatch(/\/share\/|sb_(bot|pat)_|whsec_/);
    }
    expect(JSON.parse(byEvent["conversation.needs_human"].body)).toMatchObject({
      conversation: { id: conversationId, contactName: "Ada", url: expect.stringMatching(new RegExp(`/conversations/${conversationId}$`)) },
      note: null,
    });
    expect(JSON.parse(byEvent["takeover.started"].body)).toMatchObject({ operatorName: "Dana" });
    expect(JSON.parse(byEvent["takeover.ended"].body)).toMatchObject({ operatorName: "Dana", reason: "handed_back", sessionMinutes: 0 });
    const delivered = () => prisma.notificationDelivery.count({ where: { organizationId: org.organization.id, status: "DELIVERED" } });
    expect(await waitFor(delivered, (count) => count === 3)).toBe(3);
  });

  it("queues nothing for an organization without a webhook", async () => {
    const org = await createOrganization();
    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-2", text: "A person please" }, { needsHuman: true });
    expect(await prisma.notificationDelivery.count({ where: { organizationId: org.organization.id } })).toBe(0);
  });

  it("retries a failed notification with the same webhook-id when an owner asks", async () => {
    const hook = await startWebhookReceiver([500]);
    const org = await createOrganization();
    await updateNotificationWebhook(org.owner.actor, { organizationId: org.organization.id, webhookUrl: hook.url, webhookSecret: SECRET });
    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-3", text: "Help" }, { needsHuman: true });
    const failed = await waitFor(
      () => prisma.notificationDelivery.findFirstOrThrow({ where: { organizationId: org.organization.id } }),
      (row) => row.attempts === 1,
    );
    expect(failed).toMatchObject({ status: "PENDING", lastStatusCode: 500 });
    await prisma.notificationDelivery.update({ where: { id: failed.id }, data: { status: "FAILED" } });
    await expectAppError(retryNotificationDelivery((await createOrganization()).owner.actor, { deliveryId: failed.id }), "not_found");

    await retryNotificationDelivery(org.owner.actor, { deliveryId: failed.id });

    const delivered = await waitFor(() => prisma.notificationDelivery.findUniqueOrThrow({ where: { id: failed.id } }), (row) => row.status === "DELIVERED");
    expect(delivered.status).toBe("DELIVERED");
    expect(hook.received.map((request) => request.headers["webhook-id"])).toEqual([failed.id, failed.id]);
  });
});

describe("who may set the notification webhook", () => {
  it("refuses a VIEWER, an OPERATOR and another organization's owner, and bad URLs, writing nothing", async () => {
    const org = await createOrganization();
    const viewer = await createMember(org.organization.id, "VIEWER");
    const operator = await createMember(org.organization.id, "OPERATOR");
    const outsider = (await createOrganization()).owner;
    const input = { organizationId: org.organization.id, webhookUrl: "https://example.com/hook", webhookSecret: SECRET };
    const before = await organizationRowCounts([org.organization.id]);

    await expectAppError(updateNotificationWebhook(viewer.actor, input), "forbidden");
    await expectAppError(updateNotificationWebhook(operator.actor, input), "forbidden");
    await expectAppError(updateNotificationWebhook(outsider.actor, input), "not_found");
    delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    await expectAppError(updateNotificationWebhook(org.owner.actor, { ...input, webhookUrl: "http://127.0.0.1/hook" }), "bad_request");
    await expectAppError(updateNotificationWebhook(org.owner.actor, { ...input, webhookUrl: "ftp://example.com" }), "bad_request");
    await expectAppError(updateNotificationWebhook(org.owner.actor, { ...input, webhookSecret: "short" }), "bad_request");
    await expectAppError(updateNotificationWebhook(org.owner.actor, { ...input, webhookSecret: "" }), "bad_request");

    expect(await organizationRowCounts([org.organization.id])).toEqual(before);
    expect(await getNotificationSettings(viewer.actor, org.organization.id)).toBeNull();
    expect(await getNotificationSettings(outsider.actor, org.organization.id)).toBeNull();
  });

  it("lets an ADMIN set it, shows it without the secret, and clears it with an empty URL", async () => {
    const org = await createOrganization();
    const admin = await createMember(org.organization.id, "ADMIN");
    await updateNotificationWebhook(admin.actor, { organizationId: org.organization.id, webhookUrl: "https://example.com/hook", webhookSecret: SECRET });

    const settings = await getNotificationSettings(org.owner.actor, org.organization.id);
    expect(settings).toMatchObject({ webhookUrl: "https://example.com/hook", hasSecret: true });
    expect(JSON.stringify(settings)).not.toContain(SECRET);

    await updateNotificationWebhook(admin.actor, { organizationId: org.organization.id, webhookUrl: "" });
    expect(await getNotificationSettings(org.owner.actor, org.organization.id)).toMatchObject({ webhookUrl: null, hasSecret: false });
  });
});
