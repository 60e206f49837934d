import type { Page } from "@playwright/test";
import { expect, GLOBEX_OWNER, sayInChat, signedInPage, test } from "./fixtures";

// The flow editor on /bots/<id>, with the flow actions that need settings: create_conversation_url
// (validity from a {{variable}}) and transfer_control (a target bot). Edits Globex Sales, a bot no
// other spec talks to, so the demo flows the other specs rely on stay as seeded.

async function openBotPage(owner: Page, botName: string) {
  await owner.goto("/bots");
  await owner.getByRole("listitem").filter({ hasText: botName }).getByRole("link", { name: botName, exact: true }).click();
  await expect(owner.getByRole("heading", { name: botName, level: 1 })).toBeVisible();
  return owner.url().split("/bots/")[1];
}

async function saveFlow(owner: Page, flow: unknown) {
  await owner.getByLabel("Flow (JSON)").fill(typeof flow === "string" ? flow : JSON.stringify(flow, null, 2));
  await owner.getByRole("button", { name: "Save flow" }).click();
}

const linkRule = {
  name: "Link for a colleague",
  match: { type: "keyword", keywords: ["link"] },
  // contact_name is the one variable a contact controls in the web chat, which makes the
  // {{variable}} validity observable: a contact called "12" gets a 12-hour link.
  actions: [
    { type: "create_conversation_url", validityHours: "{{contact_name}}", regenerate: true },
    { type: "send_text", text: "Your link: {{conversation_share_url}}" },
  ],
};

test("the flow editor saves a valid flow and explains JSON and flow mistakes", async ({ browser }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, GLOBEX_OWNER.email);
  const helpdeskId = await openBotPage(owner, "Globex Helpdesk");
  const salesId = await openBotPage(owner, "Globex Sales");
  const editor = owner.getByLabel("Flow (JSON)");
  const form = owner.locator("form").filter({ has: editor });
  const alert = form.getByRole("alert");
  const original = await editor.inputValue();
  expect(JSON.parse(original).rules.length).toBeGreaterThan(0);

  // Not JSON at all: where and why, and nothing is saved.
  await saveFlow(owner, '{\n  "rules": [\n    { "name": "oops", }\n  ]\n}');
  await expect(alert).toContainText(/Invalid JSON at line 3, column \d+/);
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(owner.getByText("Unsaved changes")).toBeVisible();

  // JSON, but not a valid flow: each problem with its place in the document.
  await saveFlow(owner, {
    rules: [
      { match: { type: "keyword", keywords: ["link"] }, actions: [{ type: "create_conversation_url", validityHours: "soon" }] },
      { match: { type: "regex", pattern: "(" }, actions: [] },
    ],
  });
  await expect(alert).toContainText("The flow has 3 problems.");
  const problems = owner.getByTestId("flow-problems");
  await expect(problems).toContainText('rules[0].actions[0].validityHours: Validity must be a number of hours or a "{{variable}}".');
  await expect(problems).toContainText("rules[1].match.pattern: The pattern is not a valid RE2 regular expression");
  await expect(problems).toContainText("rules[1].actions: A rule needs at least one action.");

  // A transfer to a bot that is not one of Globex's cannot run: the editor says so before saving.
  const transferTo = (targetBotId: string) => ({
    rules: [linkRule, { name: "Support", match: { type: "keyword", keywords: ["support"] }, actions: [{ type: "transfer_control", targetBotId }] }],
  });
  await saveFlow(owner, transferTo("no-such-bot"));
  await expect(alert).toContainText("The flow has 1 problem.");
  await expect(problems).toContainText("rules[1].actions[0].targetBotId:");
  await expect(problems).toContainText("Globex Helpdesk");
  await saveFlow(owner, transferTo(salesId));
  await expect(problems).toContainText("rules[1].actions[0].targetBotId:");

  // Valid: saved, and still there after a reload.
  // The bot page lists the ids a transfer may name.
  await expect(owner.getByTestId("transfer-targets")).toContainText(`Globex Helpdesk${helpdeskId}`);
  await saveFlow(owner, transferTo(helpdeskId));
  await expect(form.getByRole("status")).toHaveText("✓ Saved (2 rules)");
  await expect(alert).toHaveCount(0);
  await owner.reload();
  const saved = JSON.parse(await editor.inputValue());
  expect(saved.rules[0].actions[0]).toEqual(linkRule.actions[0]);
  expect(saved.rules[1].actions[0]).toEqual({ type: "transfer_control", targetBotId: helpdeskId });

  // The saved flow runs in the web chat. A name that is not a number of hours: no link and no half
  // reply for the contact; the owner reads why in the conversation's History.
  const chatUrl = `/chat/${salesId}`;
  const pat = await (await browser.newContext()).newPage();
  await pat.goto(chatUrl);
  await pat.getByLabel("Your name").fill("Pat");
  await sayInChat(pat, "can I get a link?");
  // Replies are written in the contact message's transaction: once it shows, a reply would too.
  await expect(pat.getByTestId("message").filter({ hasText: "Your link:" })).toHaveCount(0);
  await expect(pat.getByTestId("message").filter({ hasText: "Conversation link not created" })).toHaveCount(0);
  await owner.goto(`/conversations?q=${encodeURIComponent("can I get a link?")}`);
  await owner.getByRole("link").filter({ hasText: "Pat · Globex Sales" }).click();
  await expect(owner.getByTestId("message").filter({ hasText: "Conversation link not created" })).toHaveCount(0);
  await expect(owner.getByTestId("control-history")).toContainText(
    'could not run a flow action (Conversation link not created: the validity variable "contact_name" is "Pat"',
  );

  // A name that is a whole number of hours: the link is created and works.
  const twelve = await (await browser.newContext()).newPage();
  await twelve.goto(chatUrl);
  await twelve.getByLabel("Your name").fill("12");
  await sayInChat(twelve, "can I get a link?");
  const reply = twelve.getByTestId("message").filter({ hasText: "Your link:" });
  await expect(reply).toContainText("/share/");
  const shareUrl = /(https?:\/\/\S+\/share\/[A-Za-z0-9_-]{22,})/.exec(await reply.innerText())?.[1];
  const colleague = await (await browser.newContext()).newPage();
  expect((await colleague.goto(shareUrl!))?.status()).toBe(200);
  await expect(colleague.getByRole("button", { name: "Take over" })).toBeVisible();

  // The transfer saved above runs too.
  await sayInChat(twelve, "I need support");
  await expect(twelve.getByTestId("message").filter({ hasText: "Transferred to Globex Helpdesk" })).toBeVisible();
  await sayInChat(twelve, "hello");
  await expect(twelve.getByTestId("message").filter({ hasText: "Globex Helpdesk here" })).toBeVisible();

  // Put the seeded flow back for anything that runs later on this database.
  await owner.goto(`/bots/${salesId}`);
  await saveFlow(owner, original);
  await expect(form.getByRole("status")).toHaveText(/Saved \(\d+ rules\)/);
});
