import type { Download } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { parquetReadObjects } from "hyparquet";
import { ACME_OWNER, GLOBEX_OWNER, createShareLink, expect, openConversation, readZip, signedInPage, test } from "./fixtures";

const TITLE = "Order #4821 arrived damaged";

async function downloadedBytes(download: Download): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test("a member exports a conversation in all four formats, each read back by an independent reader", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, TITLE);
  const exports = owner.getByRole("group", { name: "Export transcript" });
  const download = async (label: string) => {
    const [file] = await Promise.all([owner.waitForEvent("download"), exports.getByRole("link", { name: label }).click()]);
    return file;
  };

  const json = await download("JSON");
  expect(json.suggestedFilename()).toBe(`${TITLE}.json`);
  const entries = JSON.parse((await downloadedBytes(json)).toString()) as Record<string, unknown>[];
  const complaint = entries.find((entry) => String(entry.text).includes("the box was crushed"))!;
  expect(complaint).toMatchObject({ kind: "message", role: "contact", conversationTitle: TITLE, botName: "Acme Support Bot" });
  expect(complaint.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(entries.flatMap((entry) => entry.fileNames as string[])).toEqual(expect.arrayContaining(["damage-photo.png", "résumé final (v2).pdf"]));
  expect(entries.find((entry) => entry.role === "operator")).toMatchObject({ author: "Sam (Acme Support)" });

  const csv = await download("CSV");
  expect(csv.suggestedFilename()).toBe(`${TITLE}.csv`);
  const text = (await downloadedBytes(csv)).toString();
  expect(text).toContain("\r\n");
  const records = parse(text, { columns: true }) as Record<string, string>[];
  expect(records).toHaveLength(entries.length);
  expect(records.map((record) => record.text)).toEqual(entries.map((entry) => String(entry.text).replace(/^(\s*[=+\-@\t\r])/, "'$1")));

  const markdown = await download("Markdown");
  expect(markdown.suggestedFilename()).toBe(`${TITLE}.md`);
  const transcript = (await downloadedBytes(markdown)).toString();
  expect(transcript).toContain(`# ${TITLE}`);
  expect(transcript).toContain("the box was crushed");
  expect(transcript).toContain("damage-photo.png");

  const parquet = await download("Parquet");
  expect(parquet.suggestedFilename()).toBe(`${TITLE}.parquet`);
  const bytes = await downloadedBytes(parquet);
  const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
  expect(rows.map((row) => row.text)).toEqual(entries.map((entry) => entry.text));
  expect(rows.map((row) => new Date(row.time as Date).toISOString())).toEqual(entries.map((entry) => entry.time));
  expect(rows.flatMap((row) => row.fileNames as string[])).toContain("damage-photo.png");
});

test("the export refuses the signed-out (401) and another organization (404)", async ({ browser, playwright }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, TITLE);
  const href = (await owner.getByRole("group", { name: "Export transcript" }).getByRole("link", { name: "CSV" }).getAttribute("href"))!;
  const url = new URL(href, owner.url()).toString();

  const anonymous = await playwright.request.newContext();
  const signedOut = await anonymous.get(url);
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.json()).toMatchObject({ success: false, error: { code: "unauthorized" } });

  const globex = await signedInPage(browser, GLOBEX_OWNER.email);
  const foreign = await globex.request.get(url);
  expect(foreign.status()).toBe(404);
  expect(await foreign.text()).not.toContain("the box was crushed");
  expect((await owner.request.get(url.replace("format=csv", "format=xls"))).status()).toBe(400);
});

test("a member exports one bot's conversations from the conversations list", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.getByText("Export conversations").click();
  const form = owner.getByRole("form", { name: "Export conversations" });
  await form.getByLabel("Format").selectOption("json");
  await form.getByLabel("Bot").selectOption({ label: "Acme Billing Bot" });
  const [file] = await Promise.all([owner.waitForEvent("download"), form.getByRole("button", { name: "Export" }).click()]);
  expect(file.suggestedFilename()).toMatch(/^conversations-\d{4}-\d{2}-\d{2}\.json$/);
  const entries = JSON.parse((await downloadedBytes(file)).toString()) as { botName: string; conversationTitle: string }[];
  expect(new Set(entries.map((entry) => entry.botName))).toEqual(new Set(["Acme Billing Bot"]));
  expect(entries.map((entry) => entry.conversationTitle)).toContain("Invoice VAT number missing");
});

test("a share's Download all holds transcript.md with the shared messages and nothing private", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Invoice VAT number missing");
  const { url } = await createShareLink(owner);

  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(url);
  const [zip] = await Promise.all([viewer.waitForEvent("download"), viewer.getByRole("link", { name: "Download all" }).click()]);
  const entries = await readZip(await downloadedBytes(zip));
  expect([...entries.keys()].sort()).toEqual(["invoice 2026_10 (copy).txt", "invoice-2026-10.pdf", "transcript.md"]);
  const transcript = entries.get("transcript.md")!.toString();
  expect(transcript).toContain("# Invoice VAT number missing");
  expect(transcript).toContain("Our invoice for October doesn't show our VAT number.");
  expect(transcript).toContain("invoice-2026-10.pdf");
  for (const secret of ["Priya Natarajan", "Acme Billing Bot", ACME_OWNER.email, ACME_OWNER.name, "acme-contact-3"]) expect(transcript).not.toContain(secret);
});
