import { ACME_OWNER, createShareLink, expect, openConversation, readZip, signedInPage, test } from "./fixtures";

const TITLE = "Order #4821 arrived damaged";

test("an owner shares a conversation, a signed-out viewer reads and downloads it, revoking closes it", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await openConversation(owner, TITLE);
  await expect(owner.getByTestId("share-button")).toHaveText("Share");

  const { dialog, url } = await createShareLink(owner);
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(dialog.getByRole("button", { name: "Copied!" })).toBeVisible();
  const copied = await owner.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(url);
  await expect(dialog.getByRole("link", { name: "Open in new tab" })).toHaveAttribute("href", url);

  // A fresh, signed-out browser opens the link.
  const viewerContext = await browser.newContext();
  const viewer = await viewerContext.newPage();
  const response = await viewer.goto(url);
  expect(response?.status()).toBe(200);
  await expect(viewer.getByRole("heading", { name: TITLE })).toBeVisible();
  await expect(viewer.getByTestId("channel")).toHaveText("web");
  const messages = viewer.getByTestId("message");
  await expect(messages).toHaveCount(8);
  await expect(messages.first()).toContainText("the box was crushed");
  await expect(viewer.locator('[data-role="operator"]')).toContainText("replacement");
  const files = viewer.getByTestId("file");
  await expect(files).toHaveCount(2);
  await expect(files.nth(1)).toContainText("résumé final (v2).pdf");

  // One file.
  const [single] = await Promise.all([
    viewer.waitForEvent("download"),
    viewer.getByRole("link", { name: "Download résumé final (v2).pdf" }).click(),
  ]);
  expect(single.suggestedFilename()).toBe("résumé final (v2).pdf");
  const pdf = await streamToBuffer(await single.createReadStream());
  expect(pdf.subarray(0, 8).toString()).toBe("%PDF-1.4");

  // Everything as one ZIP.
  const [zipDownload] = await Promise.all([
    viewer.waitForEvent("download"),
    viewer.getByRole("link", { name: "Download all" }).click(),
  ]);
  expect(zipDownload.suggestedFilename()).toBe(`${TITLE}.zip`);
  const entries = await readZip(await streamToBuffer(await zipDownload.createReadStream()));
  expect([...entries.keys()].sort()).toEqual(["damage-photo.png", "résumé final (v2).pdf", "transcript.md"]);
  expect(entries.get("résumé final (v2).pdf")!.equals(pdf)).toBe(true);
  expect(entries.get("damage-photo.png")!.subarray(1, 4).toString()).toBe("PNG");

  // The owner sees the view, then revokes.
  await owner.reload();
  await owner.getByTestId("share-button").click();
  await expect(owner.getByTestId("share-stats")).toContainText(/Viewed [1-9]\d* time/);
  await expect(owner.getByTestId("share-button")).toContainText(url);
  const fileUrl = new URL((await viewer.getByRole("link", { name: "Download résumé final (v2).pdf" }).getAttribute("href"))!, url).toString();
  const zipUrl = new URL((await viewer.getByRole("link", { name: "Download all" }).getAttribute("href"))!, url).toString();
  const ownerDialog = owner.getByRole("dialog", { name: "Share conversation" });
  await ownerDialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await ownerDialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(owner.getByTestId("share-button")).toHaveText("Share");

  const afterRevoke = await viewer.goto(url);
  expect(afterRevoke?.status()).toBe(404);
  await expect(viewer.getByRole("heading", { name: "This link is not available" })).toBeVisible();
  expect((await viewer.request.get(fileUrl)).status()).toBe(404);
  expect((await viewer.request.get(zipUrl)).status()).toBe(404);
  await viewerContext.close();
  await owner.context().close();
});

test("a partial share shows and serves only the picked messages", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Invoice VAT number missing");
  const { url } = await createShareLink(owner, async (dialog) => {
    await dialog.getByLabel("Only the ones I pick").check();
    const picker = dialog.getByRole("list", { name: "Pick messages" });
    await picker.getByRole("checkbox").nth(0).check();
    await picker.getByRole("checkbox").nth(3).check();
    await dialog.getByLabel("Title on the shared page").fill("VAT fix, short version");
  });
  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(url);
  await expect(viewer.getByRole("heading", { name: "VAT fix, short version" })).toBeVisible();
  await expect(viewer.getByTestId("message")).toHaveCount(2);
  await expect(viewer.getByTestId("message").nth(1)).toContainText("corrected invoice");
  await expect(viewer.getByTestId("file")).toHaveCount(2);
  await expect(viewer.getByText("DE123456789")).toHaveCount(0);
});

test("bad input in the share modal shows a clear message and creates nothing", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Refund for double charge");
  await owner.getByTestId("share-button").click();
  const dialog = owner.getByRole("dialog", { name: "Share conversation" });
  await dialog.getByLabel("Title on the shared page").fill("x".repeat(201));
  await dialog.getByRole("button", { name: "Create link" }).click();
  await expect(dialog.getByText("Title must be at most 200 characters.").first()).toBeVisible();
  await dialog.getByLabel("Title on the shared page").fill("");
  await dialog.getByLabel("Only the ones I pick").check();
  await dialog.getByRole("button", { name: "Create link" }).click();
  await expect(dialog.getByText("Pick at least one message for a partial share.").first()).toBeVisible();
  await owner.reload();
  await expect(owner.getByTestId("share-button")).toHaveText("Share");
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
