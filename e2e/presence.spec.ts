import { randomBytes } from "node:crypto";
import { ACME_OWNER, createShareLink, expect, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

test("typing shows on the other side and goes away, both ways, and the console shows when the web chat has seen the operator", async ({ browser }) => {
  test.setTimeout(180_000);
  const topic = `presence ${randomBytes(4).toString("hex")}`;
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatUrl = await openWebChat(owner, "Acme Support Bot");
  const contactContext = await browser.newContext();
  let contact = await contactContext.newPage();
  await contact.goto(chatUrl);
  await contact.getByLabel("Your name").fill("Robin");
  await sayInChat(contact, topic);

  await owner.goto("/conversations");
  await owner.getByRole("link", { name: new RegExp(topic) }).first().click();
  const { url } = await createShareLink(owner, async (dialog) => {
    await dialog.getByLabel("Takeover", { exact: true }).check();
  });
  const operator = await (await browser.newContext()).newPage();
  await operator.goto(url);
  await operator.getByLabel("Your name (shown to others)").fill("Dana");
  await operator.getByRole("button", { name: "Take over" }).click();
  const operatorConsole = operator.getByRole("region", { name: "Operator console" });
  await expect(operatorConsole).toBeVisible();
  // Someone else on the same link, who does not hold the conversation, is never told who types.
  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(url);
  await expect(viewer.getByTestId("control-state")).toHaveText("Taken over by Dana");

  // The contact types: the operator sees it, and it goes away once the contact stops (~5 s idle).
  const contactTyping = operatorConsole.getByTestId("typing-indicator");
  await contact.getByLabel("Message", { exact: true }).pressSequentially("I have a question", { delay: 30 });
  await expect(contactTyping).toHaveText("Contact is typing…");
  await expect(contactTyping).toHaveText("", { timeout: 15_000 });
  await expect(viewer.getByTestId("typing-indicator")).toHaveCount(0);

  // The operator types: the contact sees their name, until the operator pauses.
  const operatorTyping = contact.getByTestId("typing-indicator");
  const composer = operator.getByLabel("Message to the contact");
  await composer.pressSequentially("Hello Robin, Dana here", { delay: 30 });
  await expect(operatorTyping).toHaveText("Dana is typing…");
  await expect(operatorTyping).toHaveText("", { timeout: 15_000 });
  // The web chat is closed before the message arrives, so nothing has seen it yet.
  await contact.close();
  await operator.getByRole("button", { name: "Send" }).click();
  const readState = operatorConsole.page().getByTestId("read-state");
  await expect(readState).toHaveText("Not seen yet");

  // The contact comes back: the chat shows the message, and the console says so, live.
  contact = await contactContext.newPage();
  await contact.goto(chatUrl);
  await expect(contact.getByTestId("message").filter({ hasText: "Hello Robin, Dana here" })).toBeVisible();
  await expect(readState).toHaveText("Seen");
  await expect(contact.getByTestId("typing-indicator")).toHaveText("");

  // Typing then sending from the web chat clears the operator's indicator at once.
  await contact.getByLabel("Message", { exact: true }).pressSequentially("thanks", { delay: 30 });
  await expect(contactTyping).toHaveText("Contact is typing…");
  await contact.getByLabel("Message", { exact: true }).press("Enter");
  await expect(operator.getByTestId("message").filter({ hasText: "thanks" })).toBeVisible();
  await expect(contactTyping).toHaveText("", { timeout: 3_000 });
});
