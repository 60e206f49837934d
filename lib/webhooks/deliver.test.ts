import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { postContactMessage } from "@/lib/chat/mutations";
import { prisma } from "@/lib/db";
import { sendOperatorMessage, takeOverConversation } from "@/lib/takeover/mutations";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { deliverDueWebhooks, deliverWebhook, MAX_DELIVERY_ATTEMPTS } from "@/lib/webhooks/deliver";
import { updateBotWebhook } from "@/lib/webhooks/mutations";
import { guardedLookup, isPrivateAddress } from "@/lib/webhooks/outbound";
import { listDeliveries } from "@/lib/webhooks/queries";
import { operatorOf } from "@/lib/testing/actors";

const SECRET = "a-webhook-secret-of-some-length";

type Received = { headers: IncomingMessage["headers"]; body: string };

/** A webhook receiver on 127.0.0.1 that answers with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

// The receivers listen on 127.0.0.1, which a production server refuses (lib/webhooks/outbound.ts);
// the tests of that rule turn the permission off again.
beforeEach(() => {
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "true";
});

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

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

describe("operator message webhooks", () => {
  it("posts a signed operator.message event that the receiver can verify", async () => {
    const hook = await receiver();
    const { conversation, contact, secret, owner } = await heldChannelConversation(hook.url);

    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Your parcel left today." });

    const delivery = await waitFor(() => deliveryOf(message.id), (row) => row.status !== "PENDING");
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 1, lastStatusCode: 200, lastError: null });
    expect(hook.received).toHaveLength(1);
    const [{ headers, body }] = hook.received;
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
    const transferred = await postContactMessage({ botId: support.id, contactExternalId: "+4915100", text: "invoice", channel: "whatsapp" });
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
    expect(wait).toBeGreaterThan(1000);
    expect(wait).toBeLessThanOrEqual(2000);
    expect(await deliverWebhook(failed.id)).toBe("skipped");

    const later = new Date(failed.nextAttemptAt.getTime() + 1);
    const outcomes = await Promise.all([deliverWebhook(failed.id, later), deliverWebhook(failed.id, later)]);
    expect(outcomes.sort()).toEqual(["delivered", "skipped"]);
    expect(await deliveryOf(message.id)).toMatchObject({ status: "DELIVERED", attempts: 2, lastStatusCode: 200, lastError: null });
    expect(hook.received).toHaveLength(2);
    expect(hook.received[0].body).toBe(hook.received[1].body);
  });

  it("backs off on a dead URL and gives up after the last attempt", async () => {
    const hook = await receiver();
    const deadUrl = hook.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const { conversation, secret } = await heldChannelConversation(deadUrl);
    const message = await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Anyone there?" });
    let delivery = await waitFor(() => deliveryOf(message.id), (row) => row.attempts === 1);
    const delays: number[] = [];

    while (delivery.status === "PENDING") {
      const now = new Date(delivery.nextAttemptAt.getTime() + 1);
      await deliverDueWebhooks(now);
      const next = await deliveryOf(message.id);
      expect(next.attempts).toBe(delivery.attempts + 1);
      delays.push(next.nextAttemptAt.getTime() - now.getTime());
      delivery = next;
    }

    expect(delivery).toMatchObject({ status: "FAILED", attempts: MAX_DELIVERY_ATTEMPTS });
    expect(delivery.lastError).toMatch(/Request failed/);
    expect(delays).toEqual([4, 8, 16, 32, 64, 128, 256].map((s) => s * 1000));
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
