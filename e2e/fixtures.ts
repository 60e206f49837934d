import { test as base, expect, type Browser, type Page } from "@playwright/test";
import pg from "pg";
import yauzl from "yauzl";

export const DEMO_PASSWORD = "switchboard-demo";
export const ACME_OWNER = { email: "owner@acme.test", name: "Alex Owner" };
export const GLOBEX_OWNER = { email: "owner@globex.test", name: "Gina Globex" };

export async function signIn(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
}

/** A signed-in page in its own browser context. */
export async function signedInPage(browser: Browser, email: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

export async function openConversation(page: Page, title: string) {
  await page.goto("/conversations");
  await page.getByRole("link", { name: new RegExp(escapeRegExp(title)) }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
}

/** Opens the Share modal and creates a link with the given form tweaks; returns its URL. */
export async function createShareLink(page: Page, configure?: (dialog: ReturnType<Page["getByRole"]>) => Promise<void>) {
  await page.getByTestId("share-button").click();
  const dialog = page.getByRole("dialog", { name: "Share conversation" });
  await expect(dialog).toBeVisible();
  const url = dialog.getByTestId("share-url");
  const previous = (await url.count()) > 0 ? await url.inputValue() : null;
  await configure?.(dialog);
  await dialog.getByRole("button", { name: /Create (new )?link/ }).click();
  await expect(url).toHaveValue(/\/share\/[A-Za-z0-9_-]{22,}$/);
  if (previous) await expect(url).not.toHaveValue(previous);
  return { dialog, url: await url.inputValue() };
}

/** A contact writes in the web chat and waits until the server has stored it with the bot's replies. */
export async function sayInChat(contact: Page, text: string) {
  const input = contact.getByLabel("Message", { exact: true });
  await input.fill(text);
  await input.press("Enter");
  await expect(contact.getByTestId("message").filter({ hasText: text }).last()).toBeVisible();
  // The composer clears once the server has answered: the message and any replies are stored.
  await expect(input).toHaveValue("");
}

export function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Entry name → bytes of a ZIP held in memory. */
export function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

export const test = base;
export { expect };

/**
 * Creates an API token with the token manager of the page it is on (/settings/tokens for a
 * personal token, /bots/<id> for a bot token) and returns it: the UI shows it this once.
 */
export async function createApiToken(page: Page, name: string): Promise<string> {
  await page.getByLabel("Token name").fill(name);
  await page.getByRole("button", { name: "Create token" }).click();
  const created = page.getByRole("status").filter({ hasText: `Token “${name}” created` });
  await expect(created).toBeVisible();
  return (await created.getByTestId("new-token").innerText()).trim();
}

/** Revokes a token by name in the token manager of the page it is on, confirming the prompt. */
export async function revokeApiToken(page: Page, name: string) {
  page.once("dialog", (dialog) => void dialog.accept());
  await page.getByRole("button", { name: `Revoke ${name}` }).click();
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Revoked");
}

/** The id of one of the signed-in member's bots, read from the Bots page. */
export async function botIdByName(page: Page, name: string): Promise<string> {
  await page.goto("/bots");
  const href = await page.getByRole("list", { name: "Bots" }).getByRole("link", { name, exact: true }).getAttribute("href");
  const id = /^\/bots\/([^/]+)$/.exec(href ?? "")?.[1];
  if (!id) throw new Error(`No bot named ${name} on /bots (link: ${href})`);
  return id;
}

/** The PostgreSQL server the multi-instance specs make their throw-away databases on. */
export const POSTGRES_SERVER_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** A connected admin client of that server, or null when none answers (the spec then skips, saying why). */
export async function connectPostgresAdmin(): Promise<pg.Client | null> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return client;
  } catch {
    return null;
  }
}

/** The web chat's path for a bot, as the owner finds it on the Bots page ("Open web chat"). */
export async function openWebChat(owner: Page, botName: string): Promise<string> {
  await owner.goto("/bots");
  const href = await owner.getByRole("listitem").filter({ hasText: botName }).getByRole("link", { name: "Open web chat" }).getAttribute("href");
  expect(href).toMatch(/^\/chat\//);
  return href!;
}

/**
 * A browser without an account whose operator name is already kept (as after a first take over),
 * so a take-over-on-open link takes over by itself; without one, the operator gives a name first.
 */
export async function namedOperatorPage(browser: Browser, name: string): Promise<Page> {
  const context = await browser.newContext();
  await context.addInitScript((kept) => window.localStorage.setItem("switchboard:operator-name", kept), name);
  return context.newPage();
}
