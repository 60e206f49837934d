import { test as base, expect, type Browser, type Page } from "@playwright/test";
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
