import type { APIRequestContext, Page } from "@playwright/test";
import { ACME_OWNER, expect, GLOBEX_OWNER, signedInPage, test } from "./fixtures";

// Bot tokens on the bot page and personal tokens on /settings/tokens, as an owner uses them:
// shown once, listed by prefix, revoked after a confirmation, and refused by the API once revoked.

async function openBotPage(owner: Page, botName: string) {
  await owner.goto("/bots");
  await owner.getByRole("listitem").filter({ hasText: botName }).getByRole("link", { name: botName, exact: true }).click();
  await expect(owner.getByRole("heading", { name: botName, level: 1 })).toBeVisible();
  return owner.url().split("/bots/")[1];
}

/** Creates a token with the form on the current page; returns the plain token shown once. */
async function createToken(page: Page, name: string) {
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const created = page.getByRole("status").filter({ hasText: `Token “${name}” created` });
  await expect(created).toContainText("it is not shown again");
  return (await created.getByTestId("new-token").innerText()).trim();
}

/** The token's row in the list: name, prefix, dates, Revoke or "Revoked …". */
const tokenRow = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByRole("cell", { name, exact: true }) });

/** Revokes after the confirmation; the first time the owner cancels, and nothing changes. */
async function revokeToken(page: Page, name: string) {
  const row = tokenRow(page, name);
  const messages: string[] = [];
  page.once("dialog", (dialog) => {
    messages.push(dialog.message());
    void dialog.dismiss();
  });
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect.poll(() => messages).toHaveLength(1);
  expect(messages[0]).toContain(`Revoke “${name}”?`);
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toBeVisible();
  await expect(row).not.toContainText("Revoked");

  page.once("dialog", (dialog) => void dialog.accept());
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(row).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
}

function postChannelMessage(request: APIRequestContext, botId: string, token: string, externalId: string, text: string) {
  return request.post(`/api/v1/bots/${botId}/messages`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { contact: { externalId, name: "Token Tester" }, text, channel: "api" },
  });
}

test("an owner creates a bot token, sees it once, uses it, and revokes it", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await openBotPage(owner, "Acme Support Bot");
  const name = `Bridge ${Date.now().toString(36)}`;

  const token = await createToken(owner, name);
  expect(token).toMatch(/^sb_bot_[0-9A-Za-z]{32}$/);
  const row = tokenRow(owner, name);
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("Never");

  // The token acts for this bot.
  const externalId = `token-test-${Date.now()}`;
  const accepted = await postChannelMessage(request, botId, token, externalId, "hello");
  expect(accepted.status()).toBe(201);

  // Shown once: after a reload the list has the prefix only, and the use is recorded.
  await owner.reload();
  await expect(owner.getByTestId("new-token")).toHaveCount(0);
  await expect(owner.getByText(token)).toHaveCount(0);
  await expect(tokenRow(owner, name)).toContainText(`${token.slice(0, 12)}…`);
  await expect(tokenRow(owner, name)).not.toContainText("Never");

  await revokeToken(owner, name);
  const refused = await postChannelMessage(request, botId, token, externalId, "hello again");
  expect(refused.status()).toBe(401);
  await owner.reload();
  await expect(tokenRow(owner, name)).toContainText("Revoked");
});

test("a member creates and revokes a personal token on the settings page", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.getByRole("link", { name: "API tokens" }).click();
  await expect(owner.getByRole("heading", { name: "API tokens" })).toBeVisible();
  const name = `Script ${Date.now().toString(36)}`;

  const token = await createToken(owner, name);
  expect(token).toMatch(/^sb_pat_[0-9A-Za-z]{32}$/);
  await expect(tokenRow(owner, name)).toContainText(`${token.slice(0, 12)}…`);

  // It calls the API as the member: their conversations' shares are listed, a missing one is 404.
  await owner.goto("/conversations");
  await owner.getByRole("link", { name: /Refund for double charge/ }).click();
  await expect(owner.getByRole("heading", { name: "Refund for double charge" })).toBeVisible();
  const conversationId = owner.url().split("/conversations/")[1];
  const listed = await request.get(`/api/v1/share?conversationId=${conversationId}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(listed.status()).toBe(200);
  expect((await listed.json()).success).toBe(true);

  await owner.goto("/settings/tokens");
  await revokeToken(owner, name);
  const refused = await request.get(`/api/v1/share?conversationId=${conversationId}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(refused.status()).toBe(401);
});

test("another organization's owner gets a 404 for Acme's bot page", async ({ browser }) => {
  const acme = await signedInPage(browser, ACME_OWNER.email);
  const botId = await openBotPage(acme, "Acme Support Bot");
  await expect(acme.getByRole("heading", { name: "Bot tokens" })).toBeVisible();

  const globex = await signedInPage(browser, GLOBEX_OWNER.email);
  const response = await globex.goto(`/bots/${botId}`);
  expect(response?.status()).toBe(404);
  await expect(globex.getByRole("heading", { name: "Acme Support Bot" })).toHaveCount(0);
  await expect(globex.getByRole("heading", { name: "Bot tokens" })).toHaveCount(0);
  await expect(globex.getByLabel("Flow (JSON)")).toHaveCount(0);
  await globex.goto("/bots");
  await expect(globex.getByText("Acme Support Bot")).toHaveCount(0);
});
