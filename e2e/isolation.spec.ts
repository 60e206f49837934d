import { ACME_OWNER, GLOBEX_OWNER, createShareLink, expect, openConversation, signedInPage, test } from "./fixtures";

test("an owner of another organization gets 404 for Acme's conversation, files and share actions", async ({ browser }) => {
  const acme = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(acme, "Cannot reset my password");
  const acmeConversationUrl = acme.url();
  const acmeConversationId = acmeConversationUrl.split("/").pop()!;
  const acmeFileHref = await acme.getByRole("link", { name: "Download browser-log.txt" }).getAttribute("href");
  const { dialog: acmeDialog, url: acmeShareUrl } = await createShareLink(acme);
  const acmeShareId = await acmeDialog.locator('input[name="shareId"]').first().inputValue();

  const globex = await signedInPage(browser, GLOBEX_OWNER.email);
  await expect(globex.getByText("Cannot reset my password")).toHaveCount(0);
  expect((await globex.goto(acmeConversationUrl))?.status()).toBe(404);
  expect((await globex.request.get(acmeFileHref!)).status()).toBe(404);
  expect((await globex.request.get(`/conversations/${acmeConversationId}/download`)).status()).toBe(404);
  expect((await globex.request.get(`/conversations/${acmeConversationId}/messages`)).status()).toBe(404);

  // Globex's own share modal, with its hidden ids pointed at Acme's share and conversation.
  await openConversation(globex, "VPN keeps disconnecting");
  const { dialog } = await createShareLink(globex);
  await dialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await dialog.locator('form:has(button:text("Confirm revoke")) input[name="shareId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = id;
  }, acmeShareId);
  await dialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Share not found.");

  await dialog.locator('input[name="conversationId"]').evaluate((input, id) => {
    (input as HTMLInputElement).value = id;
  }, acmeConversationId);
  await dialog.getByRole("button", { name: "Create new link" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Conversation not found.");

  // Acme's link still works, and Acme still has exactly the one link.
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(acmeShareUrl)).status()).toBe(200);
  await acme.reload();
  await expect(acme.getByTestId("share-button")).toContainText(acmeShareUrl);
});
