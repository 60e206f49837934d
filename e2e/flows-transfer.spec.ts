import type { Page } from "@playwright/test";
import { ACME_OWNER, escapeRegExp, expect, namedOperatorPage, openWebChat, sayInChat, signedInPage, test } from "./fixtures";

// The demo flows (prisma/seed.ts, DEMO_FLOWS) tried in the web chat as a contact would: the
// support bot passes billing questions to the billing bot, which answers until the contact writes
// "done", and can mint a takeover link for a colleague.

const BILLING_ENTRY = "Acme Billing here. How can I help with your invoice?";
const BILLING_GREETING = "I handle invoices, VAT and refunds.";
const SUPPORT_GREETING = "I'm the Acme support bot.";

/** Opens the owner's conversation with this title on this bot. */
async function openOwnerConversation(owner: Page, title: string, botName: string) {
  await owner.goto(`/conversations?q=${encodeURIComponent(title)}`);
  await owner.getByRole("link").filter({ hasText: title }).filter({ hasText: botName }).click();
  await expect(owner.getByRole("heading", { name: title })).toBeVisible();
  await expect(owner.getByText(new RegExp(`· ${escapeRegExp(botName)} ·`))).toBeVisible();
}

test("the support bot transfers a billing question to the billing bot, which gives it back", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatUrl = await openWebChat(owner, "Acme Support Bot");
  const runId = Date.now().toString(36);
  const question = `I have a question about my invoice ${runId}`;

  const contact = await (await browser.newContext()).newPage();
  await contact.goto(chatUrl);
  await contact.getByLabel("Your name").fill("Robin");
  await sayInChat(contact, question);
  const messages = contact.getByTestId("message");
  await expect(messages.filter({ hasText: "Let me pass you to our billing bot." })).toBeVisible();
  await expect(messages.filter({ hasText: `Hi Robin, ${BILLING_ENTRY}` })).toBeVisible();

  // While transferred, the billing bot answers (its greeting, not the support bot's).
  await sayInChat(contact, "hello there");
  await expect(messages.filter({ hasText: `Hello Robin! ${BILLING_GREETING}` })).toBeVisible();
  await expect(messages.filter({ hasText: SUPPORT_GREETING })).toHaveCount(0);

  // A reload keeps the contact with the billing bot, and the thread still shows what came before.
  await contact.reload();
  await expect(messages.filter({ hasText: `Hello Robin! ${BILLING_GREETING}` })).toBeVisible();
  await expect(messages.filter({ hasText: "Let me pass you to our billing bot." })).toBeVisible();
  await sayInChat(contact, "hi again");
  await expect(messages.filter({ hasText: BILLING_GREETING })).toHaveCount(2);
  await expect(messages.filter({ hasText: SUPPORT_GREETING })).toHaveCount(0);

  // "done" gives back: the support bot answers the next message again.
  await sayInChat(contact, "done");
  // Both bots' conversations record the return; the contact reads it once.
  await expect(messages.filter({ hasText: "Control returned to Acme Support Bot" })).toHaveCount(1);
  await expect(messages.filter({ hasText: "Glad I could help" })).toHaveCount(0);
  await sayInChat(contact, "hello once more");
  await expect(messages.filter({ hasText: `Hi Robin! ${SUPPORT_GREETING}` })).toBeVisible();
  await expect(messages.filter({ hasText: BILLING_GREETING })).toHaveCount(2);

  // The owner sees both sides: the support bot's conversation records the hand-over and holds the
  // messages from before and after it; the billing bot's holds what it answered.
  await openOwnerConversation(owner, question, "Acme Support Bot");
  const source = owner.getByRole("region", { name: "Conversation" }).getByTestId("message");
  await expect(source.filter({ hasText: question })).toBeVisible();
  await expect(source.filter({ hasText: "Transferred to Acme Billing Bot" })).toHaveAttribute("data-role", "system");
  await expect(source.filter({ hasText: "Control returned to Acme Support Bot" })).toHaveAttribute("data-role", "system");
  await expect(source.filter({ hasText: "hello once more" })).toBeVisible();
  await expect(source.filter({ hasText: "hello there" })).toHaveCount(0);
  await expect(owner.getByText("· Bot in control ·")).toBeVisible();

  await openOwnerConversation(owner, question, "Acme Billing Bot");
  const target = owner.getByRole("region", { name: "Conversation" }).getByTestId("message");
  await expect(target.filter({ hasText: "Transferred from Acme Support Bot" })).toHaveAttribute("data-role", "system");
  await expect(target.filter({ hasText: BILLING_ENTRY })).toHaveAttribute("data-role", "bot");
  await expect(target.filter({ hasText: "hello there" })).toHaveAttribute("data-role", "contact");
  await expect(target.filter({ hasText: "done" }).first()).toBeVisible();
  await expect(target.filter({ hasText: "Control returned to Acme Support Bot" })).toHaveAttribute("data-role", "system");
  await expect(target.filter({ hasText: "hello once more" })).toHaveCount(0);
});

test("asked for a person, the billing bot makes a takeover link for the team, which takes the chat over when opened", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const chatUrl = await openWebChat(owner, "Acme Support Bot");

  const contact = await (await browser.newContext()).newPage();
  await contact.goto(chatUrl);
  await contact.getByLabel("Your name").fill("Sam");
  const question = `Question about billing ${Date.now().toString(36)}`;
  await sayInChat(contact, question);
  const messages = contact.getByTestId("message");
  await expect(messages.filter({ hasText: `Hi Sam, ${BILLING_ENTRY}` })).toBeVisible();
  await sayInChat(contact, "hello billing");
  await sayInChat(contact, "Can I talk to a person?");
  await expect(messages.filter({ hasText: "I'll ask a colleague to join." })).toBeVisible();
  // The link is the team's: the contact never gets it.
  await expect(messages.filter({ hasText: "/share/" })).toHaveCount(0);

  // The owner finds it on the billing bot's conversation, behind the Share button.
  await openOwnerConversation(owner, question, "Acme Billing Bot");
  await owner.getByTestId("share-button").click();
  const dialog = owner.getByRole("dialog", { name: "Share conversation" });
  const shareUrl = await dialog.getByTestId("share-url").inputValue();
  expect(shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]{22,}$/);
  await expect(dialog.getByLabel("Auto (hand back at expiry)")).toBeChecked();

  // A colleague without an account (their operator name kept from before) opens it: the page takes
  // the billing conversation over.
  const colleague = await namedOperatorPage(browser, "Casey");
  const response = await colleague.goto(shareUrl);
  expect(response?.status()).toBe(200);
  await expect(colleague.getByTestId("message").filter({ hasText: "hello billing" })).toBeVisible();
  await expect(colleague.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(messages.filter({ hasText: "An operator joined the conversation" })).toBeVisible();

  // The contact's next message reaches the colleague, and the billing bot stays silent.
  await sayInChat(contact, "thanks for joining");
  await expect(colleague.getByTestId("message").filter({ hasText: "thanks for joining" })).toBeVisible();
  await expect(messages.filter({ hasText: BILLING_GREETING })).toHaveCount(1);
  // History names the bot that made the link.
  await owner.reload();
  await expect(owner.getByTestId("control-history")).toContainText("Acme Billing Bot created a link");
});
