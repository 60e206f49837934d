import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { ACME_OWNER, createShareLink, expect, openConversation, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

const RECEIPT = Buffer.from("receipt 42, paid in full");

/** The message count in the owner's conversation header ("… · 4 messages · …"). */
async function ownerMessageCount(owner: Page): Promise<number> {
  const header = await owner.locator("main header").first().innerText();
  return Number(/(\d+) messages/.exec(header)?.[1]);
}

/** Presses Continue on the share page and waits for the web chat it opens; returns its URL. */
async function continueFrom(viewer: Page, shareUrl: string): Promise<string> {
  await viewer.goto(shareUrl);
  await viewer.getByRole("button", { name: "Continue this conversation" }).click();
  await viewer.waitForURL(/\/chat\/[^/?]+\?conversation=[^&]+$/);
  return viewer.url();
}

test("a signed-out viewer continues a shared conversation in the web chat, once, and the owner sees the fork", async ({ browser }) => {
  // Four browsers and a dozen pages: more than the default minute on a loaded machine.
  test.slow();
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatPath = await openWebChat(owner, "Acme Support Bot");
  const botId = chatPath.split("/")[2];

  // A contact talks to the bot and sends a file.
  const title = `My refund request ${randomBytes(4).toString("hex")}`;
  const contactContext = await browser.newContext();
  const contact = await contactContext.newPage();
  await contact.goto(chatPath);
  await sayInChat(contact, title);
  const upload = await contactContext.request.post(`/chat/${botId}/messages`, {
    multipart: { text: "here is the receipt", files: { name: "receipt.txt", mimeType: "text/plain", buffer: RECEIPT } },
  });
  expect(upload.status()).toBe(201);

  // The owner shares it with "Viewers may continue the conversation".
  await openConversation(owner, title);
  const originalUrl = owner.url();
  const originalCount = await ownerMessageCount(owner);
  expect(originalCount).toBe(4);
  const { url: shareUrl } = await createShareLink(owner, (dialog) => dialog.getByLabel("Viewers may continue the conversation").check());

  // A GET (an unfurler, a prefetch) never makes a conversation.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  expect((await viewerContext.request.get(`/chat/${botId}/continue`)).status()).toBe(405);

  // The viewer continues: the web chat opens on a copy of the shared messages, files included.
  const forkUrl = await continueFrom(viewer, shareUrl);
  const messages = viewer.getByTestId("chat-messages");
  await expect(messages).toContainText(title);
  await expect(messages).toContainText("Refunds go back to your original payment method");
  await expect(viewer.getByTestId("message")).toHaveCount(originalCount);
  const fileLink = viewer.getByRole("link", { name: /receipt\.txt/ });
  const file = await viewerContext.request.get((await fileLink.getAttribute("href"))!);
  expect(file.status()).toBe(200);
  expect((await file.body()).equals(RECEIPT)).toBe(true);

  // The bot answers the viewer in their copy.
  await sayInChat(viewer, "thanks");
  await expect(viewer.getByTestId("message").filter({ hasText: "You're welcome! Anything else?" })).toBeVisible();
  await expect(viewer.getByTestId("message")).toHaveCount(originalCount + 2);

  // A second click returns to the same copy, with what the viewer wrote there.
  expect(await continueFrom(viewer, shareUrl)).toBe(forkUrl);
  await expect(viewer.getByTestId("message")).toHaveCount(originalCount + 2);

  // Someone else cannot open the viewer's copy.
  const strangerContext = await browser.newContext();
  expect((await (await strangerContext.newPage()).goto(new URL(forkUrl).pathname + new URL(forkUrl).search))?.status()).toBe(404);

  // The owner: the original is unchanged, continued once, with a link to the copy.
  await owner.goto(originalUrl);
  expect(await ownerMessageCount(owner)).toBe(originalCount);
  const forks = owner.getByTestId("conversation-forks");
  await expect(forks).toContainText("Continued 1 time");
  await owner.getByTestId("share-button").click();
  await expect(owner.getByTestId("share-stats")).toContainText("continued 1 time");
  await owner.goto(originalUrl);
  await forks.getByRole("link", { name: title }).click();
  await expect(owner.getByTestId("message").filter({ hasText: "You're welcome! Anything else?" })).toBeVisible();
  expect(await ownerMessageCount(owner)).toBe(originalCount + 2);

  // Revoked: Continue is "not available" and makes nothing.
  await owner.goto(originalUrl);
  await owner.getByTestId("share-button").click();
  const dialog = owner.getByRole("dialog", { name: "Share conversation" });
  await dialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(owner.getByTestId("share-button")).toHaveText("Share");
  const publicId = new URL(shareUrl).pathname.split("/").pop()!;
  const refused = await strangerContext.request.post(`/chat/${botId}/continue`, { form: { share: publicId } });
  expect(refused.status()).toBe(404);
  await owner.reload();
  await expect(owner.getByTestId("conversation-forks")).toContainText("Continued 1 time");

  await Promise.all([contactContext.close(), viewerContext.close(), strangerContext.close(), owner.context().close()]);
});
