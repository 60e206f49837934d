import type { Page } from "@playwright/test";
import { ACME_OWNER, createShareLink, expect, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

// One hostile message must never break a page (issue #9): messages cannot be edited, so a
// message that makes rendering fail would break the owner's page, the contact's web chat and
// every share of the conversation for good. A contact sends the worst markdown there is, at the
// length limit, and every page still answers 200 and shows what was written, as text.

const MAX_TEXT = 4000;

/** Each message ends with words that must stay visible, whatever the markup before them did. */
const HOSTILE = [
  { text: `${">".repeat(MAX_TEXT - 20)} zebra quote tail`, tail: "zebra quote tail" },
  { text: `${"- ".repeat((MAX_TEXT - 20) / 2)}zebra list tail`, tail: "zebra list tail" },
  { text: `${"> - 1. ".repeat(560)}zebra mixed tail`, tail: "zebra mixed tail" },
  { text: `${"**a ".repeat(480)}zebra strong tail${" b**".repeat(480)}`, tail: "zebra strong tail" },
  { text: `${"[".repeat(1900)}zebra link tail${"](https://example.com)".repeat(90)}`, tail: "zebra link tail" },
  { text: "<div>\nzebra block <b>inside</b>\n</div>\n<script>window.__hostile = 1</script>\nzebra after the script", tail: "zebra after the script" },
];

/** Every hostile message's last words are on the page, and no script in a message ran. */
async function expectAllShown(page: Page) {
  const messages = page.getByTestId("message");
  for (const { tail } of HOSTILE) await expect(messages.filter({ hasText: tail })).toBeVisible();
  // HTML in a message is shown as the text it was written as.
  const html = messages.filter({ hasText: "zebra after the script" });
  await expect(html).toContainText("<div>");
  await expect(html).toContainText("<script>window.__hostile = 1</script>");
  await expect(html.locator("b, script")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __hostile?: number }).__hostile)).toBeUndefined();
}

test("pages with hostile messages answer 200 and show every message's text", async ({ browser }) => {
  test.setTimeout(180_000);
  for (const { text } of HOSTILE) expect(text.length).toBeLessThanOrEqual(MAX_TEXT);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatUrl = await openWebChat(owner, "Acme Support Bot");
  const title = `zebra check ${Date.now().toString(36)}`;

  // The contact opens the conversation with an ordinary message, then sends the hostile ones.
  const contact = await (await browser.newContext()).newPage();
  await contact.goto(chatUrl);
  await sayInChat(contact, title);
  for (const { text } of HOSTILE) {
    const sent = await contact.request.post(`${chatUrl}/messages`, { multipart: { text } });
    expect(sent.status()).toBe(201);
  }

  // The contact's web chat.
  expect((await contact.reload())?.status()).toBe(200);
  await expectAllShown(contact);

  // The owner's conversation page.
  await owner.goto(`/conversations?q=${encodeURIComponent(title)}`);
  await owner.getByRole("link").filter({ hasText: title }).click();
  await expect(owner.getByRole("heading", { name: title })).toBeVisible();
  expect((await owner.reload())?.status()).toBe(200);
  await expectAllShown(owner);

  // A share of it, signed out, and a hostile message arriving there live.
  const { url } = await createShareLink(owner);
  const viewer = await (await browser.newContext()).newPage();
  expect((await viewer.goto(url))?.status()).toBe(200);
  await expectAllShown(viewer);
  const live = `${">".repeat(MAX_TEXT - 20)} zebra live tail`;
  expect((await contact.request.post(`${chatUrl}/messages`, { multipart: { text: live } })).status()).toBe(201);
  await expect(viewer.getByTestId("message").filter({ hasText: "zebra live tail" })).toBeVisible();
  expect((await viewer.reload())?.status()).toBe(200);
  await expect(viewer.getByTestId("message").filter({ hasText: "zebra live tail" })).toBeVisible();
});
