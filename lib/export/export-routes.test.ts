import { parse } from "csv-parse/sync";
import { parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import * as conversationExport from "@/app/api/v1/conversations/[id]/export/route";
import * as organizationExport from "@/app/api/v1/conversations/export/route";
import { prisma } from "@/lib/db";
import { exportEntrySchema } from "@/lib/export/schemas";
import { createConversation } from "@/lib/testing/fixtures";
import { apiOrganization, memberWithToken, readEnvelope } from "@/lib/testing/share-api";
import { createBotTokenUnchecked } from "@/lib/tokens/mutations";

const BASE = "http://localhost/api/v1/conversations";

function exportOne(conversationId: string, query: string, token: string | null, authorization?: string) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : authorization ? { authorization } : {};
  return conversationExport.GET(new Request(`${BASE}/${conversationId}/export?${query}`, { headers }), { params: Promise.resolve({ id: conversationId }) });
}

function exportMany(query: string, token: string) {
  return organizationExport.GET(new Request(`${BASE}/export?${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve(undefined) });
}

async function expectError(response: Response, status: number, code: string) {
  const envelope = await readEnvelope(response);
  expect(response.status, JSON.stringify(envelope)).toBe(status);
  expect(envelope).toMatchObject({ success: false, error: { code } });
  return envelope;
}

describe("GET /api/v1/conversations/{id}/export", () => {
  it("answers each format with its content type, a safe attachment name and the transcript", async () => {
    const org = await apiOrganization();
    const { conversation } = await createConversation(org.bot.id, [{ text: "=HYPERLINK(\"x\")" }, { text: "Hello, \"you\"" }], 'Report: "Q4" / draft');

    const json = await exportOne(conversation.id, "format=json", org.ownerToken);
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const disposition = json.headers.get("content-disposition")!;
    expect(disposition).toBe('attachment; filename="Report_ _Q4_ _ draft.json"');
    expect(json.headers.get("x-content-type-options")).toBe("nosniff");
    // Exactly the shape the OpenAPI document gives (strict: no field more or less).
    const entries = exportEntrySchema.array().parse(await json.json());
    expect(entries.map((entry) => [entry.role, entry.author, entry.text])).toEqual([
      ["contact", "Test Contact", '=HYPERLINK("x")'],
      ["bot", org.bot.name, 'Hello, "you"'],
    ]);
    expect(entries[0].time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    const csv = await exportOne(conversation.id, "format=csv", org.ownerToken);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv; charset=utf-8/);
    const records = parse(await csv.text(), { columns: true }) as Record<string, string>[];
    expect(records.map((record) => record.text)).toEqual(["'=HYPERLINK(\"x\")", 'Hello, "you"']);

    const md = await exportOne(conversation.id, "format=md", org.botToken);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await md.text()).toContain('Hello, "you"');

    const parquet = await exportOne(conversation.id, "format=parquet", org.ownerToken);
    expect(parquet.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    const rows = await parquetReadObjects({ file: await parquet.arrayBuffer() });
    expect(rows.map((row) => row.text)).toEqual(['=HYPERLINK("x")', 'Hello, "you"']);
  });

  it("refuses another organization's token (404), another bot's token (404), a bad format (400) and a bad token (401)", async () => {
    const org = await apiOrganization();
    const other = await apiOrganization();
    const sibling = await prisma.bot.create({ data: { organizationId: org.organization.id, name: `Sibling ${org.bot.id}` } });
    const siblingToken = (await createBotTokenUnchecked(sibling.id)).token;

    await expectError(await exportOne(org.conversation.id, "format=csv", other.ownerToken), 404, "not_found");
    await expectError(await exportOne(org.conversation.id, "format=csv", other.botToken), 404, "not_found");
    await expectError(await exportOne(org.conversation.id, "format=csv", siblingToken), 404, "not_found");
    const bad = await expectError(await exportOne(org.conversation.id, "format=xlsx", org.ownerToken), 400, "bad_request");
    expect(JSON.stringify(bad)).toContain("json, csv, md, parquet");
    await expectError(await exportOne(org.conversation.id, "", org.ownerToken), 400, "bad_request");
    await expectError(await exportOne(org.conversation.id, "format=csv", null, "Bearer nonsense"), 401, "unauthorized");
    await expectError(await exportOne("no such id!", "format=csv", org.ownerToken), 400, "bad_request");
  });

  it("lets a VIEWER export (reading is enough)", async () => {
    const org = await apiOrganization();
    const viewer = await memberWithToken(org.organization.id, "VIEWER");
    expect((await exportOne(org.conversation.id, "format=json", viewer.token)).status).toBe(200);
  });
});

describe("GET /api/v1/conversations/export", () => {
  it("streams the organization's readable conversations, filtered by bot", async () => {
    const org = await apiOrganization();
    const other = await apiOrganization();
    const response = await exportMany(`format=json&botId=${org.bot.id}`, org.ownerToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/conversations-\d{4}-\d{2}-\d{2}\.json/);
    const entries = (await response.json()) as { conversationId: string }[];
    expect(new Set(entries.map((entry) => entry.conversationId))).toEqual(new Set([org.conversation.id]));
    expect(entries.some((entry) => entry.conversationId === other.conversation.id)).toBe(false);
  });

  it("refuses another organization's bot (404) and bad filters (400)", async () => {
    const org = await apiOrganization();
    const other = await apiOrganization();
    await expectError(await exportMany(`format=csv&botId=${other.bot.id}`, org.ownerToken), 404, "not_found");
    await expectError(await exportMany("format=csv&from=yesterday", org.ownerToken), 400, "bad_request");
    await expectError(await exportMany("format=csv&from=2026-11-30&to=2026-11-01", org.ownerToken), 400, "bad_request");
    await expectError(await exportMany("format=pdf", org.ownerToken), 400, "bad_request");
  });
});
