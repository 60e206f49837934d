import { ACME_OWNER, createShareLink, expect, sayInChat, signedInPage, test } from "./fixtures";

test("a contact chats, a viewer watches live, an operator takes over and hands back", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.goto("/bots");
  const chatUrl = await owner
    .getByRole("listitem")
    .filter({ hasText: "Acme Support Bot" })
    .getByRole("link", { name: "Open web chat" })
    .getAttribute("href");

  // The contact starts a conversation in the web chat; the bot answers by its flow.
  const contact = await (await browser.newContext()).newPage();
  await contact.goto(chatUrl!);
  await contact.getByLabel("Your name").fill("Robin");
  await sayInChat(contact, "hello there");
  await expect(contact.getByTestId("message").filter({ hasText: "Hi Robin! I'm the Acme support bot" })).toBeVisible();

  // The owner shares it as a takeover link.
  await owner.goto("/conversations");
  await owner.getByRole("link", { name: /hello there/ }).first().click();
  const { url } = await createShareLink(owner, async (dialog) => {
    await dialog.getByLabel("Takeover", { exact: true }).check();
  });

  // A viewer sees new messages without reloading.
  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(url);
  await expect(viewer.getByTestId("message").filter({ hasText: "hello there" })).toBeVisible();
  const botReplies = viewer.locator('[data-testid="message"][data-role="bot"]');
  const repliesBefore = await botReplies.count();
  await sayInChat(contact, "where is my order?");
  await expect(viewer.getByTestId("message").filter({ hasText: "where is my order?" })).toBeVisible();
  await expect.poll(() => botReplies.count()).toBeGreaterThan(repliesBefore);
  const repliesWhileBotControls = await botReplies.count();

  // An operator takes over: everyone sees it, the bot falls silent (its replies are written in the
  // same transaction as the contact's message, so by the time the message shows, a reply would too).
  const operator = await (await browser.newContext()).newPage();
  await operator.goto(url);
  await operator.getByLabel("Your name (shown to others)").fill("Dana");
  await operator.getByRole("button", { name: "Take over" }).click();
  await expect(operator.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(viewer.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await expect(contact.getByTestId("message").filter({ hasText: "An operator joined the conversation" })).toBeVisible();

  await sayInChat(contact, "are you a person?");
  await expect(operator.getByTestId("message").filter({ hasText: "are you a person?" })).toBeVisible();
  await operator.getByLabel("Message to the contact").fill("Yes, I'm Dana. Your parcel ships today.");
  await operator.getByRole("button", { name: "Send" }).click();
  await expect(contact.getByTestId("message").filter({ hasText: "Your parcel ships today." })).toBeVisible();
  await expect(viewer.locator('[data-role="operator"]').filter({ hasText: "Dana" })).toBeVisible();
  await expect(viewer.getByTestId("message").filter({ hasText: "are you a person?" })).toBeVisible();
  expect(await botReplies.count()).toBe(repliesWhileBotControls);

  // A second operator sees who holds it and cannot act.
  const second = await (await browser.newContext()).newPage();
  await second.goto(url);
  await expect(second.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await expect(second.getByRole("button", { name: "Take over" })).toHaveCount(0);
  await expect(second.getByRole("region", { name: "Operator console" })).toHaveCount(0);

  // Hand back: the bot answers again.
  await operator.getByRole("button", { name: "Hand back" }).click();
  await expect(viewer.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(contact.getByTestId("message").filter({ hasText: "Control returned to the bot" })).toBeVisible();
  await sayInChat(contact, "hello again");
  await expect.poll(() => botReplies.count()).toBeGreaterThan(repliesWhileBotControls);
  await expect(viewer.getByTestId("message").filter({ hasText: "Hi Robin!" })).toHaveCount(2);
});

test("an owner takes over from their own conversation page, writes, and hands back", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.goto("/conversations");
  await owner.getByRole("link", { name: /Refund for double charge/ }).click();
  await owner.getByRole("button", { name: "Take over" }).click();
  const operatorConsole = owner.getByRole("region", { name: "Operator console" });
  await expect(operatorConsole).toBeVisible();
  await expect(owner.getByTestId("control-state")).toHaveText(`Taken over by ${ACME_OWNER.name}`);
  await operatorConsole.getByLabel("Message to the contact").fill("Hi Tom, Alex here. The refund is on its way.");
  await operatorConsole.getByRole("button", { name: "Send" }).click();
  await expect(owner.locator('[data-role="operator"]').filter({ hasText: "Alex here" })).toBeVisible();

  // Another member's browser without the session cookie sees the holder and cannot act.
  const other = await signedInPage(browser, ACME_OWNER.email);
  await other.goto(owner.url());
  await expect(other.getByTestId("control-state")).toHaveText(`Taken over by ${ACME_OWNER.name}`);
  await expect(other.getByRole("region", { name: "Operator console" })).toHaveCount(0);

  await operatorConsole.getByRole("button", { name: "Hand back" }).click();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(other.getByTestId("control-state")).toHaveText("The bot is answering");
});
