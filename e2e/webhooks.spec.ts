import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { APIRequestContext, Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { ACME_OWNER, expect, signedInPage, test } from "./fixtures";

// A channel bridge's view of the API: contact messages go in through
// POST /api/v1/bots/<botId>/messages, and an operator's messages come out as signed POSTs to the
// bot's webhook (lib/webhooks/deliver.ts), retried when the receiver fails.

type Received = { headers: IncomingHttpHeaders; body: string; answeredWith: number };

/** An HTTP receiver on 127.0.0.1 that records every request and answers with the next queued status (200 when none is queued). */
async function startReceiver() {
  const received: Received[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const answeredWith = statuses.shift() ?? 200;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8"), answeredWith });
      response.writeHead(answeredWith, { "Content-Type": "text/plain" }).end(answeredWith === 200 ? "ok" : "try again");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/switchboard-hook`,
    received,
    /** Answer the next requests with these statuses, in order. */
    failNext: (...codes: number[]) => statuses.push(...codes),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signatureMatches(body: string, header: string | string[] | undefined, secret: string) {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`);
  const actual = Buffer.from(typeof header === "string" ? header : "");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** What a receiver does with a Standard Webhooks library: the parsed event, or null when the signature does not hold. */
function verifyStandardWebhook(received: Received, secret: string): unknown {
  try {
    return new Webhook(`whsec_${Buffer.from(secret).toString("base64")}`).verify(received.body, received.headers as Record<string, string>);
  } catch {
    return null;
  }
}

async function openBotPage(owner: Page, botName: string) {
  await owner.goto("/bots");
  await owner.getByRole("listitem").filter({ hasText: botName }).getByRole("link", { name: botName, exact: true }).click();
  await expect(owner.getByRole("heading", { name: botName, level: 1 })).toBeVisible();
  return owner.url().split("/bots/")[1];
}

async function saveWebhook(owner: Page, url: string, secret: string) {
  const form = owner.locator("form").filter({ has: owner.getByLabel("Webhook URL") });
  await form.getByLabel("Webhook URL").fill(url);
  await form.getByLabel("Signing secret").fill(secret);
  await form.getByRole("button", { name: "Save webhook" }).click();
  return form.getByRole("status");
}

function postChannelMessage(request: APIRequestContext, botId: string, token: string, externalId: string, text: string) {
  return request.post(`/api/v1/bots/${botId}/messages`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { contact: { externalId, name: "Wanda" }, text, channel: "whatsapp" },
  });
}

async function sendAsOperator(owner: Page, text: string) {
  const operatorConsole = owner.getByRole("region", { name: "Operator console" });
  await operatorConsole.getByLabel("Message to the contact").fill(text);
  await operatorConsole.getByRole("button", { name: "Send" }).click();
  await expect(owner.locator('[data-role="operator"]').filter({ hasText: text })).toBeVisible();
}

/** The delivery line of an operator message, after reloading until it reaches the expected state. */
async function expectDelivery(owner: Page, text: string, state: RegExp) {
  const line = owner.getByTestId("webhook-delivery").filter({ hasText: text });
  await expect(async () => {
    await owner.reload();
    await expect(line).toContainText(state, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  return line;
}

test("operator messages on a channel conversation reach the bot's webhook, signed, and are retried", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const receiver = await startReceiver();
  const secret = `e2e-webhook-secret-${Date.now()}`;
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await openBotPage(owner, "Acme Billing Bot");
  try {
    // The owner configures the webhook and a bot token on the bot page.
    // A short secret is stopped by the browser (minlength) before anything is sent.
    const shortSecret = await saveWebhook(owner, receiver.url, "too short");
    expect(await owner.getByLabel("Signing secret").evaluate((input: HTMLInputElement) => input.validity.tooShort)).toBe(true);
    await expect(shortSecret).toHaveText("");
    await expect(await saveWebhook(owner, receiver.url, secret)).toHaveText("Saved.");
    await owner.reload();
    await expect(owner.getByLabel("Webhook URL")).toHaveValue(receiver.url);
    await expect(owner.getByLabel("Signing secret")).toHaveValue("");
    await expect(owner.getByLabel("Signing secret")).toHaveAttribute("placeholder", "Leave empty to keep the current secret");

    await owner.getByLabel("Token name").fill("WhatsApp bridge");
    await owner.getByRole("button", { name: "Create token" }).click();
    const token = (await owner.getByTestId("new-token").innerText()).trim();
    expect(token).toMatch(/^sb_bot_/);

    // A contact writes on WhatsApp: the bridge posts it and gets the bot's answer.
    const externalId = `+4915550${Date.now() % 100000}`;
    const first = await postChannelMessage(request, botId, token, externalId, "hello");
    expect(first.status()).toBe(201);
    const firstBody = await first.json();
    const conversationId: string = firstBody.data.conversationId;
    expect(firstBody.data.messages.map((message: { role: string; text: string }) => [message.role, message.text])).toEqual([
      ["CONTACT", "hello"],
      ["BOT", "Hello Wanda! I handle invoices, VAT and refunds."],
    ]);

    // The owner takes over and writes: the receiver gets a signed operator.message.
    await owner.goto(`/conversations/${conversationId}`);
    await expect(owner.getByText(/· whatsapp ·/)).toBeVisible();
    await owner.getByRole("button", { name: "Take over" }).click();
    await expect(owner.getByRole("region", { name: "Operator console" })).toBeVisible();
    await sendAsOperator(owner, "Hi Wanda, Alex from billing here.");
    await expect.poll(() => receiver.received.length).toBe(1);
    const delivered = receiver.received[0];
    expect(delivered.headers["content-type"]).toContain("application/json");
    expect(verifyStandardWebhook(delivered, secret)).toEqual(JSON.parse(delivered.body));
    expect(verifyStandardWebhook(delivered, `${secret}x`)).toBeNull();
    // The pre-Standard-Webhooks signature, still sent for existing receivers.
    expect(signatureMatches(delivered.body, delivered.headers["x-switchboard-signature"], secret)).toBe(true);
    expect(signatureMatches(delivered.body, delivered.headers["x-switchboard-signature"], `${secret}x`)).toBe(false);
    const event = JSON.parse(delivered.body);
    expect(event).toMatchObject({
      event: "operator.message",
      conversationId,
      contactExternalId: externalId,
      message: { text: "Hi Wanda, Alex from billing here.", authorName: ACME_OWNER.name },
    });
    await expectDelivery(owner, "Alex from billing here", /^Delivered/);

    // While the operator holds it, the bot is silent on the channel.
    const held = await postChannelMessage(request, botId, token, externalId, "hello? is anyone there?");
    expect(held.status()).toBe(201);
    const heldBody = await held.json();
    expect(heldBody.data.conversationId).toBe(conversationId);
    expect(heldBody.data.messages.map((message: { role: string }) => message.role)).toEqual(["CONTACT"]);
    await expect(owner.getByTestId("message").filter({ hasText: "hello? is anyone there?" })).toBeVisible();

    // A receiver that fails once: the delivery is retried (first wait 5 s) and ends delivered,
    // with the same webhook-id and a valid signature each time.
    receiver.failNext(500);
    await sendAsOperator(owner, "Yes, I'm here. Your refund is approved.");
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(3);
    const [failedAttempt, retried] = receiver.received.slice(1);
    expect(failedAttempt.answeredWith).toBe(500);
    expect(retried.answeredWith).toBe(200);
    expect(retried.headers["webhook-id"]).toBe(failedAttempt.headers["webhook-id"]);
    expect(retried.headers["x-switchboard-delivery"]).toBe(failedAttempt.headers["webhook-id"]);
    expect(verifyStandardWebhook(retried, secret)).toMatchObject({ message: { text: "Yes, I'm here. Your refund is approved." } });
    expect(signatureMatches(retried.body, retried.headers["x-switchboard-signature"], secret)).toBe(true);
    expect(JSON.parse(retried.body).message.text).toBe("Yes, I'm here. Your refund is approved.");
    await expectDelivery(owner, "Your refund is approved", /^Delivered/);
    await expect(owner.getByTestId("webhook-delivery")).toHaveCount(2);

    // Hand back: the bot answers on the channel again.
    await owner.getByRole("region", { name: "Operator console" }).getByRole("button", { name: "Hand back" }).click();
    await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
    const after = await (await postChannelMessage(request, botId, token, externalId, "hello")).json();
    expect(after.data.messages.map((message: { role: string }) => message.role)).toEqual(["CONTACT", "BOT"]);
    expect(receiver.received).toHaveLength(3);
  } finally {
    // Other specs' operator messages must not go to a receiver that is gone.
    await owner.goto(`/bots/${botId}`);
    await expect(await saveWebhook(owner, "", "")).toHaveText("Webhook removed.");
    await receiver.close();
  }
});
