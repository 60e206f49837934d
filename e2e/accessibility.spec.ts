import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { ACME_OWNER, botIdByName, createShareLink, expect, openConversation, openWebChat, signIn, test } from "./fixtures";

// axe-core on every kind of page, in the light and the dark colour scheme: no serious or critical
// violation (contrast, names, landmarks' misuse, …). Findings are collected across pages and
// reported together, so one run lists everything to fix.

type Finding = string;

async function audit(page: Page, name: string, findings: Finding[]) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const violation of violations) {
    if (violation.impact !== "serious" && violation.impact !== "critical") continue;
    const where = violation.nodes.slice(0, 3).map((node) => node.target.join(" ")).join(", ");
    findings.push(`${name}: ${violation.id} (${violation.impact}) ${violation.help} — ${where}`);
  }
}

for (const colorScheme of ["light", "dark"] as const) {
  test(`no serious or critical accessibility violation on any page (${colorScheme})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const page = await (await browser.newContext({ colorScheme })).newPage();
    const findings: Finding[] = [];
    const visit = async (name: string, path: string, ready: () => Promise<void>) => {
      await page.goto(path);
      await ready();
      await audit(page, name, findings);
    };
    const heading = (name: string | RegExp) => () => expect(page.getByRole("heading", { name }).first()).toBeVisible();

    await visit("link not available", "/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", heading("This link is not available"));
    await visit("404", "/no-such-page", heading("Page not found"));
    await visit("API reference", "/api-reference", heading(/API/));
    await visit("login", "/login", heading("Sign in to Switchboard"));

    await signIn(page, ACME_OWNER.email);
    await audit(page, "conversation list", findings);
    await visit("bots", "/bots", heading("Bots"));
    const botId = await botIdByName(page, "Acme Support Bot");
    await visit("bot page", `/bots/${botId}`, heading("Acme Support Bot"));
    await visit("API tokens", "/settings/tokens", heading("API tokens"));
    await visit("sessions", "/settings/sessions", heading("Sessions"));
    await visit("organization settings", "/settings/organization", heading("Organization"));

    await openConversation(page, "Cannot reset my password");
    await expect(page.getByTestId("message").first()).toBeVisible();
    await audit(page, "conversation", findings);
    const { url } = await createShareLink(page);
    await audit(page, "conversation with the share modal open", findings);

    await visit("public share page", url, () => expect(page.getByTestId("message").first()).toBeVisible());
    const chat = await openWebChat(page, "Acme Support Bot");
    await visit("web chat", chat, () => expect(page.getByTestId("chat-bot-name")).toBeVisible());

    expect(findings).toEqual([]);
  });
}
