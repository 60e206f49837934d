import type { Browser, Page } from "@playwright/test";
import { ACME_OWNER, createShareLink, expect, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

// Control is a lease that only a person's explicit action moves (issue #11): a take-over-on-open
// link takes over once, an idle tab never retakes, a second operator asks, the owner can override.

/** A contact starts a fresh web chat with the Acme support bot; the owner opens it. */
async function freshConversation(browser: Browser, owner: Page, opening: string) {
  const contact = await (await browser.newContext()).newPage();
  await contact.goto(await openWebChat(owner, "Acme Support Bot"));
  await contact.getByLabel("Your name").fill("Robin");
  await sayInChat(contact, opening);
  await owner.goto(`/conversations?q=${encodeURIComponent(opening)}`);
  await owner.getByRole("link", { name: new RegExp(opening) }).first().click();
  await expect(owner.getByRole("heading", { name: opening })).toBeVisible();
  return contact;
}

/** A browser of an anonymous operator who gave their name here before (it stays in localStorage). */
async function returningOperator(browser: Browser, name: string) {
  const context = await browser.newContext();
  await context.addInitScript((stored) => window.localStorage.setItem("switchboard:operator-name", stored), name);
  return context.newPage();
}

test("two operators on an auto link: take over on open once, a request moves nothing, and after the hand back the bot answers", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const contact = await freshConversation(browser, owner, "lease test one");
  const { dialog, url } = await createShareLink(owner, async (form) => {
    await form.getByLabel("Auto (hand back at expiry)").check();
    await form.getByLabel("Valid for (hours)").fill("2");
    await form.getByLabel("Take over on open").check();
  });
  await dialog.getByRole("button", { name: "Close" }).click();

  // Operator 1 opens the link first: it takes over by itself, under the name kept in this browser.
  const first = await returningOperator(browser, "Dana");
  await first.goto(url);
  await expect(first.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(owner.getByTestId("control-state")).toHaveText("Taken over by Dana");

  // Operator 2 sees the holder's name, and may only ask (naming themselves).
  const second = await (await browser.newContext()).newPage();
  await second.goto(url);
  await expect(second.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await second.getByLabel("Your name (shown to others)").fill("Sam");
  await second.getByRole("button", { name: "Request control" }).click();
  await expect(first.getByRole("alert").filter({ hasText: "Sam asks for control." })).toBeVisible();
  await expect(second.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await expect(second.getByRole("region", { name: "Operator console" })).toHaveCount(0);

  // Hand back: operator 2's idle tab does not take control, not even after a while.
  await first.getByRole("button", { name: "Hand back" }).click();
  await expect(second.getByTestId("control-state")).toHaveText("The bot is answering");
  await second.waitForTimeout(3_000);
  await expect(second.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(second.getByRole("region", { name: "Operator console" })).toHaveCount(0);

  // The bot answers the contact's next message.
  const botReplies = contact.locator('[data-testid="message"][data-role="bot"]');
  const repliesBefore = await botReplies.count();
  await sayInChat(contact, "hello again");
  await expect.poll(() => botReplies.count()).toBeGreaterThan(repliesBefore);
  // The contact reads the bot by its name, and themselves as "You".
  await expect(contact.getByTestId("message").filter({ hasText: "hello again" }).getByTestId("message-author")).toHaveText("You");
  await expect(botReplies.last().getByTestId("message-author")).toHaveText("Acme Support Bot");

  // Reloading either tab offers Take over and takes nothing over.
  await first.reload();
  await second.reload();
  await expect(first.getByRole("button", { name: "Take over" })).toBeVisible();
  await expect(second.getByRole("button", { name: "Take over" })).toBeVisible();
  await first.waitForTimeout(1_500);
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
});

test("the owner ends an operator's session and takes over from the conversation page", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await freshConversation(browser, owner, "lease test two");
  const { dialog, url } = await createShareLink(owner, async (form) => {
    await form.getByLabel("Takeover", { exact: true }).check();
  });
  await dialog.getByRole("button", { name: "Close" }).click();

  // An anonymous operator must name themselves before taking over.
  const operator = await (await browser.newContext()).newPage();
  await operator.goto(url);
  await operator.getByRole("button", { name: "Take over" }).click();
  await expect(operator.getByRole("region", { name: "Operator console" })).toHaveCount(0);
  await operator.getByLabel("Your name (shown to others)").fill("Dana");
  await operator.getByRole("button", { name: "Take over" }).click();
  await expect(operator.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(owner.getByTestId("control-state")).toHaveText("Taken over by Dana");

  const held = owner.getByRole("region", { name: "Held by another operator" });
  await held.getByRole("button", { name: "End session" }).click();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(operator.getByRole("region", { name: "Operator console" })).toHaveCount(0);
  await expect(operator.getByTestId("message").filter({ hasText: "the session was ended by an owner" })).toBeVisible();

  // The name stays in the operator's browser for next time.
  await operator.reload();
  await expect(operator.getByLabel("Your name (shown to others)")).toHaveValue("Dana");
  await operator.getByRole("button", { name: "Take over" }).click();
  await expect(owner.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await held.getByRole("button", { name: "Take over" }).click();
  await expect(owner.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(operator.getByTestId("control-state")).toHaveText(`Taken over by ${ACME_OWNER.name}`);
  await expect(operator.getByRole("region", { name: "Operator console" })).toHaveCount(0);
  await owner.reload();
  await expect(owner.getByTestId("control-history")).toContainText("Dana");
});

test("on a phone the console opens at the newest message with the composer on screen; lines and unsent text are kept", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const contact = await freshConversation(browser, owner, "lease test three");
  for (let i = 1; i <= 12; i++) await sayInChat(contact, `question number ${i}`);
  const phone = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).newPage();
  await phone.context().addCookies(await owner.context().cookies());
  await phone.goto(owner.url());
  await phone.getByRole("button", { name: "Take over" }).click();
  const composer = phone.getByLabel("Message to the contact");
  await expect(composer).toBeInViewport();

  // Reopened, it starts at the newest message with the composer visible, without scrolling.
  await phone.reload();
  await expect(composer).toBeInViewport();
  await expect(phone.getByTestId("message").last()).toBeInViewport();

  await composer.fill("line one");
  await composer.press("Shift+Enter");
  await composer.pressSequentially("line two");
  await composer.press("Enter");
  await composer.pressSequentially("still typing");
  const sent = contact.getByTestId("message").filter({ hasText: "line one" });
  await expect(sent).toBeVisible();
  expect(await sent.locator(".prose-message").innerText()).toMatch(/line one\s*\n\s*line two/);
  await expect(composer).toHaveValue("still typing");
  await expect(composer).toBeInViewport();
});
