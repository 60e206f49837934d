import { ACME_OWNER, expect, openWebChat, signedInPage, test } from "./fixtures";

test("the web chat keeps what the contact types while a message is on its way, with its lines", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatUrl = await openWebChat(owner, "Acme Support Bot");

  const contact = await (await browser.newContext()).newPage();
  // A slow network: each message takes a second to reach the server.
  await contact.route("**/chat/*/messages", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await route.continue();
  });
  await contact.goto(chatUrl);
  const input = contact.getByLabel("Message", { exact: true });
  await input.fill("hello");
  await input.press("Enter");
  // Typed while "hello" is still sending.
  await input.pressSequentially("I was charged twice");
  await expect(contact.getByTestId("message").filter({ hasText: "hello" }).first()).toBeVisible();
  await expect(input).toHaveValue("I was charged twice");

  // Shift+Enter starts a new line; both lines arrive as written.
  await input.press("Shift+Enter");
  await input.pressSequentially("for order 1042");
  await input.press("Enter");
  const sent = contact.getByTestId("message").filter({ hasText: "I was charged twice" }).last();
  await expect(sent).toBeVisible();
  await expect(sent).toContainText("for order 1042");
  expect(await sent.innerText()).toMatch(/I was charged twice\s*\n\s*for order 1042/);
  await expect(input).toHaveValue("");
});
