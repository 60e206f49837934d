import type { Page } from "@playwright/test";
import { ACME_OWNER, GLOBEX_OWNER, escapeRegExp, expect, openWebChat, sayInChat, signIn, test } from "./fixtures";

// The team's inbox: a contact who asks the demo support bot for a person shows up under "Needs a
// person" on a member's open conversation list without a reload, with a browser notification and
// an unread count that clears once the member opens the conversation.

declare global {
  interface Window {
    recordedNotifications: { title: string; body?: string }[];
    loadedOnce?: true;
  }
}

/** Records every Notification the page constructs, still constructing the real one. */
function recordNotifications() {
  const Real = window.Notification;
  window.recordedNotifications = [];
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      window.recordedNotifications.push({ title, body: options?.body });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Object.defineProperty(Recorded, "requestPermission", { value: Real.requestPermission.bind(Real) });
  window.Notification = Recorded;
}

const notifications = (page: Page) => page.evaluate(() => window.recordedNotifications);

test("a contact asking the support bot for a person reaches a member's open inbox live, with a notification and an unread count", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext();
  await context.grantPermissions(["notifications"]);
  await context.addInitScript(recordNotifications);
  const member = await context.newPage();
  await signIn(member, ACME_OWNER.email);
  const chatUrl = await openWebChat(member, "Acme Support Bot");

  // The member opts in (the click is what lets the browser ask) and leaves the list open.
  await member.goto("/conversations");
  await member.getByRole("button", { name: "Enable notifications" }).click();
  await expect(member.getByText("Notifications on in this browser.")).toBeVisible();
  await member.evaluate(() => (window.loadedOnce = true));

  const contact = await (await browser.newContext()).newPage();
  await contact.goto(chatUrl);
  await contact.getByLabel("Your name").fill("Robin");
  const title = `Inbox check ${Date.now().toString(36)}: can I talk to an agent?`;
  await sayInChat(contact, title);
  await expect(contact.getByTestId("message").filter({ hasText: "I'll ask a colleague to join." })).toBeVisible();

  // Within 2 s, without a reload.
  const row = member.getByRole("listitem").filter({ has: member.getByRole("link", { name: new RegExp(escapeRegExp(title)) }) });
  await expect(row.getByTestId("conversation-state")).toHaveText("Needs a person", { timeout: 2_000 });
  expect(await member.evaluate(() => window.loadedOnce)).toBe(true);
  await expect(row).toContainText("Robin asked for a person.");
  await expect(row.getByTestId("unread-count")).toHaveText("1");
  await expect.poll(() => notifications(member)).toContainEqual({ title: `Needs a person: ${title}`, body: "Robin asked for a person." });

  // The filter shows it among those waiting.
  await member.getByRole("link", { name: "Needs a person", exact: true }).click();
  await expect(member).toHaveURL(/state=needs_human/);
  await expect(row.getByTestId("conversation-state")).toHaveText("Needs a person");

  // Opening it reads it; taking over clears "Needs a person".
  await row.getByRole("link").click();
  await expect(member.getByRole("heading", { name: title })).toBeVisible();
  await member.getByRole("button", { name: "Take over" }).click();
  await expect(member.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(async () => {
    await member.goto("/conversations");
    await expect(row.getByTestId("unread-count")).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(row.getByTestId("conversation-state")).toHaveText("Held by you");

  // A new message from the contact in a chat the member holds: unread again, and a notification.
  await sayInChat(contact, "Are you there?");
  await expect(row.getByTestId("unread-count")).toHaveText("1", { timeout: 5_000 });
  await expect.poll(() => notifications(member)).toContainEqual({ title: "New message from Robin", body: title });
});

test("another organization never sees the request nor follows the other's inbox", async ({ browser }) => {
  const globex = await (await browser.newContext()).newPage();
  await signIn(globex, GLOBEX_OWNER.email);
  await globex.goto("/conversations?state=needs_human");
  await expect(globex.getByRole("link", { name: "Needs a person", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(globex.getByRole("link", { name: /Inbox check/ })).toHaveCount(0);
  // Another organization's stream is not found.
  const acmeId = await globex.request.get("/conversations/events?organizationId=not-mine").then((response) => response.status());
  expect(acmeId).toBe(404);
});
