import { createHmac } from "node:crypto";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { handBackConversation, sendOperatorMessage, takeOverConversation } from "@/lib/takeover/mutations";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { deliverDueWebhooks, deliverWebhook, maxDeliveryAttempts, retrySchedule, standardWebhookSecret } from "@/lib/webhooks/deliver";
import { retryWebhookDelivery, updateBotWebhook } from "@/lib/webhooks/mutations";
import { guardedLookup, isPrivateAddress } from "@/lib/webhooks/outbound";
import { listDeliveries } from "@/lib/webhooks/queries";
import { operatorOf } from "@/lib/testing/actors";
import { postAsChannel } from "@/lib/testing/actors";
import { closeWebhookReceivers, startWebhookReceiver, type ReceivedWebhook } from "@/lib/testing/webhook-receiver";

const SECRET = "a-webhook-secret-of-some-length";

type Received = ReceivedWebhook;
const receiver = startWebhookReceiver;

// The receivers listen on 127.0.0.1, which a production server refuses (lib/webhooks/outbound.ts);
// the tests of that rule turn the permission off again.
beforeEach(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
});

afterEach(closeWebhookReceivers);

/** A WhatsApp conversation of a bot with this webhook, taken over by an operator. */
async function heldChannelConversation(webhookUrl: string, channel = "whatsapp") {
  const org = await createOrganization();
  await updateBotWebhook(org.owner.actor, { botId: org.bot.id, webhookUrl, webhookSecret: SECRET });
  const { conversation, contact } = await createConversation(org.bot.id);
  await prisma.conversation.update({ where: { id: conversation.id }, data: { channel } });
  const { secret } = await takeOverConversation(org.owner.actor, { conversationId: conversation.id, operatorName: "Dana" });
  return { ...org, conversation, contact, secret };
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - start > timeoutMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const deliveryOf = (messageId: string) => prisma.webhookDelivery.findUniqueOrThrow({ where: { messageId } });

/** What a receiver does with the Standard Webhooks library: verify, or throw WebhookVerificationError. */
const verifyAsReceiver = ({ headers, body }: Received, secret = `whsec_${Buffer.from(SECRET).toString("base64")}`) =>
  new Webhook(secret).verify(body, headers as Record<string, string>);

/** The default schedule's waits, in seconds: 5 s … 8 h. */
const DEFAULT_WAITS_SECONDS = [5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800, 28800];

/**
 * Runs the delivery's attempts one after another, each at the moment it is due (the clock is the
 * `now` passed in, not the wall clock), until `done`. Returns the waits it was given, in ms.
 */
async function runAttempts(messageId: string, done: (row: Awaited<ReturnType<typeof deliveryOf>>) => boolean) {
  let delivery = await deliveryOf(messageId);
  const waits: number[] = [];
  while (!done(delivery)) {
    const now = new Date(delivery.nextAttemptAt.getTime() + 1);
    await deliverWebhook(delivery.id, now);
    const next = await deliveryOf(messageId);
    expect(next.attempts).toBe(delivery.attempts + 1);
    if (next.status === "PENDING") waits.push(next.nextAttemptAt.getTime() - now.getTime());
    delivery = next;
  }
  return { delivery, waits };
}

describe("operator message webhooks", () => {
  it("posts a signed operator.message event that the receiver can verify", async () => {
    const hook = await receiver();
    const { conversation, contact, secret, owner } = await heldChannelConversation(hook.url);

    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Your parcel left today." });

    const delivery = await waitFor(() => deliveryOf(message.id), (row) => row.status !== "PENDING");
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null });
    expect(hook.received).toHaveLength(1);
    const [{ headers, body }] = hook.received;
    // Standard Webhooks: the receiver's library verifies it with the secret wrapped as whsec_<base64>.
    expect(headers["webhook-id"]).toBe(delivery.id);
    expect(Math.abs(Number(headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(verifyAsReceiver(hook.received[0])).toEqual(JSON.parse(body));
    expect(() => verifyAsReceiver(hook.received[0], `whsec_${Buffer.from(`${SECRET}x`).toString("base64")}`)).toThrow(WebhookVerificationError);
    // The signature before Standard Webhooks, for receivers not moved yet.
    const expected = createHmac("sha256", SECRET).update(body).digest("hex");
    expect(headers["x-switchboard-signature"]).toBe(`sha256=${expected}`);
    expect(headers["x-switchboard-delivery"]).toBe(delivery.id);
    expect(JSON.parse(body)).toEqual({
      event: "operator.message",
      conversationId: conversation.id,
      contactExternalId: contact.externalId,
      message: { id: message.id, text: "Your parcel left today.", authorName: "Dana", createdAt: message.createdAt },
    });
    expect(await listDeliveries(owner.actor, conversation.id)).toMatchObject([{ messageId: message.id, status: "DELIVERED" }]);
    expect(await listDeliveries((await createOrganization()).owner.actor, conversation.id)).toEqual([]);
  });

  it("cannot be replayed: the receiver's library refuses it once its timestamp is out of tolerance, or with the timestamp changed", async () => {
    const hook = await receiver();
    const { conversation, secret } = await heldChannelConversation(hook.url);
    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Your code is 4711." });
    await waitFor(() => deliveryOf(message.id), (row) => row.status !== "PENDING");
    const [captured] = hook.received;
    expect(verifyAsReceiver(captured)).toMatchObject({ message: { text: "Your code is 4711." } });

    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 6 * 60_000);
      expect(() => verifyAsReceiver(captured)).toThrow(/timestamp too old/);
      const refreshed = { ...captured, headers: { ...captured.headers, "webhook-timestamp": String(Math.floor(Date.now() / 1000)) } };
      expect(() => verifyAsReceiver(refreshed)).toThrow(/No matching signature/);
    } finally {
      vi.useRealTimers();
    }
  });

  it("signs with a Standard Webhooks secret (whsec_…) as the receiver's library gives it", async () => {
    const hook = await receiver();
    const { organization, owner, bot } = await createOrganization();
    const standardSecret = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;
    expect(standardWebhookSecret(standardSecret)).toBe(standardSecret);
    await expectAppError(updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: hook.url, webhookSecret: "whsec_not base64 at all!" }), "bad_request");
    await updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: hook.url, webhookSecret: standardSecret });
    const { conversation } = await createConversation(bot.id);
    await prisma.conversation.update({ where: { id: conversation.id }, data: { channel: "telegram" } });
    const { secret } = await takeOverConversation(owner.actor, { conversationId: conversation.id, operatorName: organization.name });

    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "signed" });

    await waitFor(() => deliveryOf(message.id), (row) => row.status !== "PENDING");
    expect(verifyAsReceiver(hook.received[0], standardSecret)).toMatchObject({ message: { text: "signed" } });
  });

  it("queues nothing for web-chat conversations or bots without a webhook", async () => {
    const hook = await receiver();
    const web = await heldChannelConversation(hook.url, "web");
    await sendOperatorMessage(await operatorOf(web.conversation.id), { conversationId: web.conversation.id, secret: web.secret, text: "hi" });
    const plain = await createOrganization();
    const { conversation } = await createConversation(plain.bot.id);
    await prisma.conversation.update({ where: { id: conversation.id }, data: { channel: "telegram" } });
    const { secret } = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Op" });
    await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "hi" });

    expect(await prisma.webhookDelivery.count({ where: { conversationId: { in: [web.conversation.id, conversation.id] } } })).toBe(0);
  });

  it("sends an operator's message on a transferred-to bot's conversation through the source bot's webhook", async () => {
    const hook = await receiver();
    const { organization, owner, bot: support } = await createOrganization();
    const billing = await prisma.bot.create({ data: { organizationId: organization.id, name: `Billing ${Date.now()}` } });
    await prisma.bot.update({
      where: { id: support.id },
      data: { flow: { rules: [{ match: { type: "fallback" }, actions: [{ type: "transfer_control", targetBotId: billing.id }] }] } },
    });
    await updateBotWebhook(owner.actor, { botId: support.id, webhookUrl: hook.url, webhookSecret: SECRET });
    const transferred = await postAsChannel({ botId: support.id, contactExternalId: "+4915100", text: "invoice", channel: "whatsapp" });
    const target = transferred.activeConversationId;
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: target } })).toMatchObject({ botId: billing.id, channel: "whatsapp" });

    const { secret } = await takeOverConversation(owner.actor, { conversationId: target, operatorName: "Dana" });
    const message = await sendOperatorMessage(await operatorOf(target), { conversationId: target, secret, text: "Billing colleague here." });

    const delivery = await waitFor(() => deliveryOf(message.id), (row) => row.status !== "PENDING");
    expect(delivery).toMatchObject({ status: "DELIVERED", botId: support.id });
    expect(JSON.parse(hook.received[0].body)).toMatchObject({ contactExternalId: "+4915100", message: { text: "Billing colleague here." } });
  });

  it("retries after a failure and marks the delivery delivered; a second claim of the same attempt sends nothing", async () => {
    const hook = await receiver([500]);
    const { conversation, secret } = await heldChannelConversation(hook.url);

    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Retry me" });

    const failed = await waitFor(() => deliveryOf(message.id), (row) => row.attempts === 1);
    expect(failed).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: 500, lastError: "The webhook answered HTTP 500." });
    const wait = failed.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(4000);
    expect(wait).toBeLessThanOrEqual(5000);
    expect(await deliverWebhook(failed.id)).toBe("skipped");

    const later = new Date(failed.nextAttemptAt.getTime() + 1);
    const outcomes = await Promise.all([deliverWebhook(failed.id, later), deliverWebhook(failed.id, later)]);
    expect(outcomes.sort()).toEqual(["delivered", "skipped"]);
    expect(await deliveryOf(message.id)).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0].body).toBe(hook.received[1].body);
    // The same webhook-id on the retry, so a receiver that got the first one can drop it.
    expect(hook.received.map((request) => request.headers["webhook-id"])).toEqual([failed.id, failed.id]);
    for (const request of hook.received) expect(verifyAsReceiver(request)).toMatchObject({ message: { text: "Retry me" } });
  });

  it("still delivers after an outage of more than a day, with the same webhook-id on every attempt", async () => {
    expect(retrySchedule()).toEqual(DEFAULT_WAITS_SECONDS.map((seconds) => seconds * 1000));
    // Down for the first 11 attempts: by the 12th, more than 31 hours have passed.
    const hook = await receiver(Array(11).fill(503));
    const { conversation, secret } = await heldChannelConversation(hook.url);
    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Sorry for the wait." });
    await waitFor(() => deliveryOf(message.id), (row) => row.attempts === 1);
    const firstAttemptAt = (await deliveryOf(message.id)).createdAt.getTime();

    const { delivery, waits } = await runAttempts(message.id, (row) => row.status !== "PENDING");

    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 12, lastStatusCode: 200 });
    expect(waits).toEqual(DEFAULT_WAITS_SECONDS.slice(1).map((seconds) => seconds * 1000));
    const outage = waits.reduce((sum, wait) => sum + wait, 5_000);
    expect(outage).toBeGreaterThan(24 * 3600_000);
    expect(delivery.deliveredAt!.getTime()).toBeGreaterThan(firstAttemptAt);
    expect(hook.received).toHaveLength(12);
    expect(new Set(hook.received.map((request) => request.headers["webhook-id"]))).toEqual(new Set([delivery.id]));
    expect(verifyAsReceiver(hook.received[11])).toMatchObject({ message: { text: "Sorry for the wait." } });
  });

  it("reads its retry schedule from WEBHOOK_RETRY_SCHEDULE", () => {
    process.env.WEBHOOK_RETRY_SCHEDULE = "1s, 2m,3h";
    try {
      expect(retrySchedule()).toEqual([1000, 120_000, 3 * 3600_000]);
      expect(maxDeliveryAttempts()).toBe(4);
      process.env.WEBHOOK_RETRY_SCHEDULE = "1s,soon";
      expect(() => retrySchedule()).toThrow(/WEBHOOK_RETRY_SCHEDULE/);
    } finally {
      delete process.env.WEBHOOK_RETRY_SCHEDULE;
    }
  });

  it("backs off on a dead URL and gives up after the last attempt", async () => {
    const hook = await receiver();
    const deadUrl = hook.url;
    await closeWebhookReceivers();
    const { conversation, secret } = await heldChannelConversation(deadUrl);
    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Anyone there?" });
    await waitFor(() => deliveryOf(message.id), (row) => row.attempts === 1);

    const { delivery, waits } = await runAttempts(message.id, (row) => row.status !== "PENDING");

    expect(delivery).toMatchObject({ status: "FAILED", attempts: maxDeliveryAttempts() });
    expect(maxDeliveryAttempts()).toBe(12);
    expect(delivery.lastError).toMatch(/Request failed/);
    expect(waits).toEqual(DEFAULT_WAITS_SECONDS.slice(1).map((seconds) => seconds * 1000));
  });
});

describe("the bot's on_hand_back replies on a channel", () => {
  it("reach the contact through the webhook as bot.message, once, since no channel request waits for them", async () => {
    const hook = await receiver();
    const { conversation, contact, secret, bot } = await heldChannelConversation(hook.url);
    await prisma.bot.update({
      where: { id: bot.id },
      data: { flow: { rules: [{ name: "Back", match: { type: "on_hand_back" }, actions: [{ type: "send_text", text: "I'm back. Anything else?" }] }] } },
    });

    await handBackConversation(await operatorOf(conversation.id), { conversationId: conversation.id, secret });

    const back = await prisma.message.findFirstOrThrow({ where: { conversationId: conversation.id, role: "BOT", text: "I'm back. Anything else?" } });
    const delivery = await waitFor(
      async () => {
        await deliverDueWebhooks();
        return deliveryOf(back.id);
      },
      (row) => row.status !== "PENDING",
    );
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1 });
    expect(hook.received.map(({ body }) => JSON.parse(body))).toEqual([
      {
        event: "bot.message",
        conversationId: conversation.id,
        contactExternalId: contact.externalId,
        message: { id: back.id, text: "I'm back. Anything else?", authorName: back.authorName, createdAt: back.createdAt.toISOString() },
      },
    ]);
  });
});

describe("retrying a failed delivery", () => {
  it("queues a FAILED delivery again once, for its organization's operators only, and delivers it once", async () => {
    const hook = await receiver(Array(12).fill(500));
    const { organization, owner, conversation, secret } = await heldChannelConversation(hook.url);
    const operator = await createMember(organization.id, "OPERATOR");
    const viewer = await createMember(organization.id, "VIEWER");
    const stranger = (await createOrganization()).owner;
    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Please retry me" });
    await waitFor(() => deliveryOf(message.id), (row) => row.attempts === 1);
    const { delivery: failed } = await runAttempts(message.id, (row) => row.status !== "PENDING");
    expect(failed).toMatchObject({ status: "FAILED", attempts: 12 });

    await expectAppError(retryWebhookDelivery(stranger.actor, { deliveryId: failed.id }), "not_found");
    await expectAppError(retryWebhookDelivery(viewer.actor, { deliveryId: failed.id }), "forbidden");
    await expectAppError(retryWebhookDelivery(owner.actor, { deliveryId: "no-such-delivery" }), "not_found");
    expect(await deliveryOf(message.id)).toMatchObject({ status: "FAILED", attempts: 12 });

    // Two clicks at once: one queues it, the other finds it no longer failed.
    const clicks = await Promise.allSettled([
      retryWebhookDelivery(operator.actor, { deliveryId: failed.id }),
      retryWebhookDelivery(owner.actor, { deliveryId: failed.id }),
    ]);
    expect(clicks.map((click) => click.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = clicks.find((click) => click.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "conflict" });

    const delivered = await waitFor(() => deliveryOf(message.id), (row) => row.status === "DELIVERED");
    expect(delivered).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200 });
    expect(hook.received.map((request) => request.headers["webhook-id"])).toEqual(Array(13).fill(failed.id));
    expect(verifyAsReceiver(hook.received[12])).toMatchObject({ message: { text: "Please retry me" } });

    await expectAppError(retryWebhookDelivery(owner.actor, { deliveryId: failed.id }), "conflict");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hook.received).toHaveLength(13);
    expect(await prisma.auditEvent.count({ where: { conversationId: conversation.id, action: "webhook.delivery_retried" } })).toBe(1);
  });
});

describe("private networks", () => {
  it("classifies loopback, private, link-local and mapped addresses as private, public ones not", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a00:1", "192.0.2.2"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1", "::ffff:808:808"]) expect(isPrivateAddress(address), address).toBe(false);
  });

  it("sees the IPv4 address inside IPv4-compatible, mapped, translated, NAT64 and 6to4 IPv6 addresses", () => {
    for (const address of [
      "::127.0.0.1",
      "::7f00:1",
      "::8.8.8.8",
      "::ffff:10.0.0.1",
      "::ffff:0:127.0.0.1",
      "64:ff9b::127.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::808:808",
      "2002:7f00:1::",
      "2002:a9fe:a9fe::1",
      "2002:c0a8:101:1::1",
      "2001:db8::1",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2",
      "0:0:0:0:0:ffff:7f00:1",
      "fe80::1%eth0",
    ]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["::ffff:8.8.8.8", "64:ff9b::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2a00:1450:4001:80b::200e"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it("refuses to deliver to a local receiver and says why", async () => {
    const hook = await receiver();
    const { conversation, secret } = await heldChannelConversation(hook.url);
    delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    const byAddress = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "by address" });
    const refused = await waitFor(() => deliveryOf(byAddress.id), (row) => row.attempts > 0);
    expect(refused).toMatchObject({ status: "PENDING", attempts: 1, lastStatusCode: null });
    expect(refused.lastError).toMatch(/^127\.0\.0\.1 resolves to 127\.0\.0\.1, a private or local address.*WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/);

    expect(hook.received).toHaveLength(0);
  });

  it("checks every address a host name resolves to when connecting", async () => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    const lookup = (options: { all?: boolean }) =>
      new Promise<{ error: Error | null; address: unknown }>((resolve) =>
        guardedLookup("localhost", options, (error, address) => resolve({ error, address })),
      );
    const refused = await lookup({});
    expect(refused.error?.name).toBe("PrivateAddressError");
    expect(refused.error?.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private or local address/);
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
    expect(await lookup({})).toMatchObject({ error: null, address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/) });
    expect((await lookup({ all: true })).address).toEqual(expect.arrayContaining([expect.objectContaining({ address: expect.any(String) })]));
  });

  it("refuses to save a webhook at a local address unless the server allows private networks", async () => {
    const { owner, bot } = await createOrganization();
    delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    for (const webhookUrl of [
      "http://127.0.0.1:9/hook",
      "http://[::1]/hook",
      "http://10.0.0.5/hook",
      "http://169.254.169.254/latest",
      "http://localhost:3000/x",
      "http://[::127.0.0.1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:0:a9fe:a9fe]/",
      "http://[64:ff9b::10.0.0.1]/",
      "http://[2002:a9fe:a9fe::]/latest",
    ]) {
      await expectAppError(updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl, webhookSecret: SECRET }), "bad_request");
    }
    expect(await prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { webhookUrl: true } })).toEqual({ webhookUrl: null });
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
    await updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: "http://10.0.0.5/hook", webhookSecret: SECRET });
    expect(await prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { webhookUrl: true } })).toEqual({ webhookUrl: "http://10.0.0.5/hook" });
  });
});

describe("updateBotWebhook", () => {
  it("lets owners set and clear the webhook, needs a secret, and refuses operators and strangers", async () => {
    const { organization, owner, bot } = await createOrganization();
    const operator = await createMember(organization.id, "OPERATOR");

    await expectAppError(updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: "https://example.test/hook", webhookSecret: "" }), "bad_request");
    await expectAppError(updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: "ftp://example.test", webhookSecret: SECRET }), "bad_request");
    await expectAppError(updateBotWebhook(operator.actor, { botId: bot.id, webhookUrl: "https://example.test/hook", webhookSecret: SECRET }), "forbidden");
    await expectAppError(
      updateBotWebhook((await createOrganization()).owner.actor, { botId: bot.id, webhookUrl: "https://example.test/hook", webhookSecret: SECRET }),
      "not_found",
    );
    expect(await prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { webhookUrl: true } })).toEqual({ webhookUrl: null });

    await updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: "https://example.test/hook", webhookSecret: SECRET });
    expect(await prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { webhookUrl: true, webhookSecret: true } })).toEqual({
      webhookUrl: "https://example.test/hook",
      webhookSecret: SECRET,
    });
    await updateBotWebhook(owner.actor, { botId: bot.id, webhookUrl: "", webhookSecret: "" });
    expect(await prisma.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { webhookUrl: true, webhookSecret: true } })).toEqual({
      webhookUrl: null,
      webhookSecret: null,
    });
  });
});
