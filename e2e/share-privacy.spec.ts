import { ACME_OWNER, createShareLink, expect, openConversation, signedInPage, test } from "./fixtures";

const FORBIDDEN = [ACME_OWNER.email, ACME_OWNER.name, "Acme Support Bot", "passwordHash", "variables", "storageKey", "userId"];

test("the share page's HTML and RSC payload carry nothing about the owner, and the headers keep it private", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Cannot reset my password");
  const { url } = await createShareLink(owner, async (dialog) => {
    await dialog.getByLabel("Title on the shared page").fill("Password reset help");
    await dialog.getByLabel("Description").fill("How we fixed an expired reset link");
  });

  const html = await request.get(url);
  expect(html.status()).toBe(200);
  const body = await html.text();
  const rsc = await request.get(url, { headers: { RSC: "1" } });
  expect(rsc.status()).toBe(200);
  const payload = await rsc.text();
  expect(payload).toContain("Password reset help");
  for (const text of [body, payload]) {
    for (const secret of FORBIDDEN) expect(text).not.toContain(secret);
  }

  for (const response of [html, rsc]) {
    const headers = response.headers();
    expect(headers["x-robots-tag"]).toBe("noindex, nofollow");
    expect(headers["referrer-policy"]).toBe("no-referrer");
    expect(headers["cache-control"]).toContain("private");
    expect(headers["cache-control"]).toContain("no-store");
  }
  expect(body).toMatch(/<meta name="robots" content="noindex, nofollow/);
  expect(body).toContain('<meta property="og:title" content="Password reset help"');
  expect(body).toContain('<meta property="og:description" content="How we fixed an expired reset link"');

  // The message with a <script> tag and a javascript: link renders inert.
  const viewer = await (await browser.newContext()).newPage();
  let dialogs = 0;
  viewer.on("dialog", async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  await viewer.goto(url);
  const message = viewer.getByTestId("message").filter({ hasText: "for your bot" });
  await expect(message).toBeVisible();
  await expect(message.locator("script")).toHaveCount(0);
  const trick = message.getByText("a trick");
  await expect(trick).toBeVisible();
  expect(await trick.evaluate((element) => element.closest("a")?.getAttribute("href") ?? "")).not.toMatch(/javascript:/i);
  await trick.click();
  expect(dialogs).toBe(0);
});

// Expired and not-permitted links take the same path (openShare → null); lib/shares/public.test.ts covers them.
test("unknown, malformed and revoked links answer one identical 404 page", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Invoice VAT number missing");
  const { dialog, url } = await createShareLink(owner);
  await dialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(owner.getByTestId("share-button")).not.toContainText(url);

  const revoked = await request.get(url);
  const unknownId = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  const unknown = await request.get(url.replace(/\/share\/.*/, `/share/${unknownId}`));
  const malformed = await request.get(url.replace(/\/share\/.*/, "/share/..%2F..%2Fetc"));
  for (const response of [revoked, unknown, malformed]) {
    expect(response.status()).toBe(404);
    expect(response.headers()["x-robots-tag"]).toBe("noindex, nofollow");
    expect(await response.text()).toContain("This link is not available");
  }
  const revokedId = url.split("/").pop()!;
  const normalize = (html: string) => html.replaceAll(revokedId, "ID").replaceAll(unknownId, "ID");
  expect(normalize(await revoked.text())).toBe(normalize(await unknown.text()));
});
