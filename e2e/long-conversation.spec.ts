import { ACME_OWNER, createShareLink, expect, openConversation, signedInPage, test } from "./fixtures";

test("a 10,000-message conversation opens a page at a time for owner and viewer", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Nightly sync monitor (10,000 messages)");
  const ownerMessages = owner.getByTestId("message");
  await expect(ownerMessages).toHaveCount(100);
  await expect(ownerMessages.last()).toContainText("Noted report #5000.");
  await owner.getByRole("button", { name: "Load earlier messages" }).click();
  await expect(ownerMessages).toHaveCount(200);
  await expect(ownerMessages.first()).toContainText("Sync report #4901");

  const { url } = await createShareLink(owner);
  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(url);
  const messages = viewer.getByTestId("message");
  await expect(messages).toHaveCount(100);
  await viewer.getByRole("button", { name: "Load earlier messages" }).click();
  await expect(messages).toHaveCount(200);
  await expect(viewer.getByText("10000", { exact: true })).toBeVisible();
  await expect(viewer.getByTestId("file")).toHaveCount(1);
});
