import { randomBytes } from "node:crypto";
import type { Browser, Locator, Page } from "@playwright/test";
import { ACME_OWNER, GLOBEX_OWNER, createShareLink, expect, openConversation, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

/** A conversation of its own, titled by a contact's first web-chat message, so no other spec's links are in the way. */
async function newConversation(browser: Browser, owner: Page, title: string) {
  const chatUrl = await openWebChat(owner, "Acme Support Bot");
  const context = await browser.newContext();
  const contact = await context.newPage();
  await contact.goto(chatUrl);
  await sayInChat(contact, title);
  await context.close();
  await openConversation(owner, title);
}

/** createShareLink, then closes the modal (its Share button is behind it). */
async function createLinkAndClose(page: Page, configure?: Parameters<typeof createShareLink>[1]) {
  const { dialog, url } = await createShareLink(page, configure);
  await dialog.getByRole("button", { name: "Close" }).click();
  return url;
}

/**
 * Clicks a destructive button, then its "Confirm …" button. The links page arrives as a full page
 * load (its filter is a plain GET form), so the first click is retried until the page has hydrated.
 */
async function confirmTwice(scope: Locator, button: string, confirm: string) {
  const confirmButton = scope.getByRole("button", { name: confirm });
  await expect(async () => {
    if (!(await confirmButton.isVisible())) await scope.getByRole("button", { name: button, exact: true }).click({ timeout: 2_000 });
    await expect(confirmButton).toBeVisible({ timeout: 2_000 });
  }).toPass();
  await confirmButton.click();
}

const tag = () => `Links check ${randomBytes(4).toString("hex")}`;

async function searchLinks(page: Page, filters: { q: string; status?: string; mode?: string }) {
  await page.getByLabel("Conversation title").fill(filters.q);
  await page.getByLabel("Status").selectOption(filters.status ?? "");
  await page.getByLabel("Mode").selectOption(filters.mode ?? "");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(
    (url) =>
      url.searchParams.get("q") === filters.q &&
      url.searchParams.get("status") === (filters.status ?? "") &&
      url.searchParams.get("mode") === (filters.mode ?? ""),
  );
}

test("the links page lists, filters and revokes one link, then every one matching, asking once", async ({ browser }) => {
  // Two web-chat conversations and three links before the page is even opened.
  test.slow();
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const run = tag();
  await newConversation(browser, owner, `${run} first`);
  await createLinkAndClose(owner);
  await createLinkAndClose(owner, async (dialog) => {
    await dialog.getByLabel("Takeover", { exact: true }).check();
  });
  await newConversation(browser, owner, `${run} second`);
  await createLinkAndClose(owner);

  await owner.getByRole("link", { name: "Shared links" }).click();
  await expect(owner.getByRole("heading", { name: "Shared links" })).toBeVisible();
  await searchLinks(owner, { q: run });
  const rows = owner.getByTestId("link-row");
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(`${run} second`);
  await expect(rows.first()).toContainText(ACME_OWNER.name);
  await expect(owner.getByRole("columnheader", { name: "Continuations" })).toBeVisible();

  await searchLinks(owner, { q: run, mode: "TAKEOVER" });
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${run} first`);
  await expect(rows.first()).toContainText("Takeover");

  // Revoke one: it asks, then the row shows revoked.
  await searchLinks(owner, { q: run });
  const second = rows.filter({ hasText: `${run} second` });
  await confirmTwice(second, "Revoke", "Confirm revoke");
  await expect(second).toHaveAttribute("data-status", "revoked");
  await expect(owner.locator('[data-testid="link-row"][data-status="active"]')).toHaveCount(2);

  // Every active one matching the filter, with one confirmation.
  await searchLinks(owner, { q: run, status: "active" });
  await expect(rows).toHaveCount(2);
  await confirmTwice(owner.getByRole("main"), "Revoke all matching", "Confirm: revoke every active link matching this filter");
  await expect(owner.getByRole("status")).toHaveText("Revoked 2 links.");
  await expect(owner.getByText("No link matches this filter.")).toBeVisible();
  await searchLinks(owner, { q: run, status: "revoked" });
  await expect(rows).toHaveCount(3);

  // /shares leads here; another organization sees none of these links.
  await owner.goto("/shares");
  await expect(owner).toHaveURL(/\/links$/);
  const globex = await signedInPage(browser, GLOBEX_OWNER.email);
  await globex.goto(`/links?q=${encodeURIComponent(run)}`);
  await expect(globex.getByText("No link matches this filter.")).toBeVisible();
  await globex.context().close();
  await owner.context().close();
});

test("after Create new link the replaced link stays listed in the modal and can be revoked there", async ({ browser }) => {
  test.slow();
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await newConversation(browser, owner, `${tag()} replaced`);
  const older = await createLinkAndClose(owner);
  const { dialog, url: newer } = await createShareLink(owner);

  // Revoking the newer link brings the older one back as the active link: it is listed beside it.
  await dialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(dialog.getByTestId("share-url")).toHaveValue(older);
  const links = dialog.getByRole("region", { name: "All links of this conversation" }).getByTestId("link-row");
  await expect(links).toHaveCount(2);
  await expect(links.filter({ has: owner.locator(`[title="${newer}"]`) })).toHaveAttribute("data-status", "revoked");
  const olderRow = links.filter({ has: owner.locator(`[title="${older}"]`) });
  await expect(olderRow).toHaveAttribute("data-status", "active");

  await olderRow.getByRole("button", { name: "Revoke" }).click();
  await olderRow.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(olderRow).toHaveAttribute("data-status", "revoked");
  await expect(owner.getByTestId("share-button")).toHaveText("Share");
  expect((await owner.request.get(older)).status()).toBe(404);
  await owner.context().close();
});

test("the modal keeps every field after a refused save and shows the saved values after Save changes", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await newConversation(browser, owner, `${tag()} settings`);
  await owner.getByTestId("share-button").click();
  const dialog = owner.getByRole("dialog", { name: "Share conversation" });

  // An auto link without a validity is refused by the server.
  await dialog.getByLabel("Auto (hand back at expiry)").check();
  await dialog.getByLabel("Visibility").selectOption("ORGANIZATION");
  await dialog.getByLabel("Take over on open").check();
  await dialog.getByLabel("Viewers may continue the conversation").check();
  await dialog.getByLabel("Title on the shared page").fill("Keep me");
  await dialog.getByRole("button", { name: "Create link" }).click();
  const message = "An auto link hands control back when it expires, so it needs a validity.";
  await expect(dialog.getByText(message)).toHaveCount(1);
  await expect(dialog.getByText("settings.")).toHaveCount(0);
  await expect(dialog.getByLabel("Valid for (hours)")).toHaveAttribute("aria-invalid", "true");
  await expect(dialog.getByLabel("Auto (hand back at expiry)")).toBeChecked();
  await expect(dialog.getByLabel("Visibility")).toHaveValue("ORGANIZATION");
  await expect(dialog.getByLabel("Take over on open")).toBeChecked();
  await expect(dialog.getByLabel("Viewers may continue the conversation")).toBeChecked();
  await expect(dialog.getByLabel("Title on the shared page")).toHaveValue("Keep me");

  await dialog.getByLabel("Valid for (hours)").fill("5");
  await dialog.getByRole("button", { name: "Create link" }).click();
  await expect(dialog.getByTestId("share-url")).toHaveValue(/\/share\//);
  await expect(dialog.getByTestId("share-audience")).toHaveText(
    "Signed-in members of your organization with this link can view the conversation and take over the chat until the link expires.",
  );

  // Save changes: the select shows the saved value, and Create new link uses it.
  await dialog.getByLabel("Visibility").selectOption("PRIVATE");
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog.getByText("Saved.")).toBeVisible();
  await expect(dialog.getByTestId("share-audience")).toHaveText(/^Only you \(signed in\) can view the conversation and take over the chat/);
  await expect(dialog.getByLabel("Visibility")).toHaveValue("PRIVATE");
  const saved = await dialog.getByTestId("share-url").inputValue();
  await dialog.getByRole("button", { name: "Create new link" }).click();
  await expect(dialog.getByTestId("share-url")).not.toHaveValue(saved);
  await expect(dialog.getByLabel("Visibility")).toHaveValue("PRIVATE");
  await expect(dialog.getByTestId("link-row").first()).toContainText("Only the creator");
  await owner.reload();
  await owner.getByTestId("share-button").click();
  await expect(dialog.getByLabel("Visibility")).toHaveValue("PRIVATE");
  await owner.context().close();
});

test("the partial-share picker pages back past the first 100 messages and its rows stay inside the modal", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Nightly sync monitor (10,000 messages)");
  await owner.getByTestId("share-button").click();
  const dialog = owner.getByRole("dialog", { name: "Share conversation" });
  await dialog.getByLabel("Only the ones I pick").check();
  const boxes = dialog.getByRole("list", { name: "Pick messages" }).getByRole("checkbox");
  await expect(boxes).toHaveCount(100);
  await dialog.getByRole("button", { name: "Load earlier messages" }).click();
  await expect(boxes).toHaveCount(200);
  await dialog.getByRole("button", { name: "Load earlier messages" }).click();
  await expect(boxes).toHaveCount(300);

  const modal = (await dialog.boundingBox())!;
  const row = (await dialog.getByRole("list", { name: "Pick messages" }).getByRole("listitem").last().boundingBox())!;
  expect(row.x + row.width).toBeLessThanOrEqual(modal.x + modal.width);
  await owner.context().close();
});
