import { ACME_OWNER, createShareLink, expect, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

// Anonymous viewers share one rendered page per state of the link (lib/shares/page-cache.ts).
// Whatever changes the conversation or the link shows on the very next request, without JavaScript.
test("a shared page rendered once for anonymous viewers follows every change on the next request", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const contact = await (await browser.newContext()).newPage();
  await contact.goto(await openWebChat(owner, "Acme Support Bot"));
  await contact.getByLabel("Your name").fill("Casey");
  await sayInChat(contact, "first question about caching");

  await owner.goto("/conversations");
  await owner.getByRole("link", { name: /first question about caching/ }).first().click();
  const { dialog, url } = await createShareLink(owner);

  const first = await request.get(url);
  expect(first.status()).toBe(200);
  expect(first.headers()["set-cookie"]).toBeUndefined();
  expect(first.headers()["cache-control"]).toBe("private, no-store");
  const firstHtml = await first.text();
  expect(firstHtml).toContain("first question about caching");
  expect(firstHtml).not.toContain("second question");
  // Served again from the cache: the same page.
  expect(await (await request.get(url)).text()).toBe(firstHtml);

  // A new message is a new state: the next plain GET has it.
  await sayInChat(contact, "second question, after the page was cached");
  const second = await (await request.get(url)).text();
  expect(second).toContain("second question, after the page was cached");

  // A marker header from outside is only a header: the page is the same, and an unknown link stays 404.
  const forged = await request.get(url, { headers: { "x-switchboard-page-render": "guess" } });
  expect(await forged.text()).toBe(second);
  expect((await request.get(url.replace(/\/share\/.*/, "/share/AAAAAAAAAAAAAAAAAAAAAA"), { headers: { "x-switchboard-page-render": "guess" } })).status()).toBe(404);

  // Revoked: 404 on the very next request, though its page was cached a moment ago.
  await dialog.getByRole("region", { name: "Active link" }).getByRole("button", { name: "Revoke" }).click();
  await dialog.getByRole("button", { name: "Confirm revoke" }).click();
  await expect(owner.getByTestId("share-button")).not.toContainText(url);
  const revoked = await request.get(url);
  expect(revoked.status()).toBe(404);
  expect(await revoked.text()).not.toContain("first question about caching");
});
