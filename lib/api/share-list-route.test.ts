import { describe, expect, it } from "vitest";
import { exactShareDtoSchema, type ShareDto } from "@/lib/api/share-dto";
import { createConversation } from "@/lib/testing/fixtures";
import { apiOrganization, memberWithToken, readEnvelope, shareApi, type Envelope } from "@/lib/testing/share-api";

type Page = Extract<Envelope<ShareDto[]>, { success: true }>;

async function listPage(query: Record<string, string>, token: string): Promise<Page> {
  const response = await shareApi.listPage(query, { token });
  const envelope = await readEnvelope<ShareDto[]>(response);
  expect(response.status, JSON.stringify(envelope)).toBe(200);
  return envelope as Page;
}

async function createLinks(token: string, conversationId: string, count: number) {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const response = await shareApi.create({ token, body: { conversationId, regenerate: true } });
    ids.push(((await response.json()) as { data: { shareId: string } }).data.shareId);
  }
  return ids;
}

describe("GET /api/v1/share without conversationId", () => {
  it("lists every share the caller manages across conversations, a page at a time, newest first", async () => {
    const org = await apiOrganization();
    const second = (await createConversation(org.bot.id, [{}])).conversation;
    const created = [...(await createLinks(org.ownerToken, org.conversation.id, 3)), ...(await createLinks(org.ownerToken, second.id, 2))];

    const seen: ShareDto[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await listPage(cursor ? { limit: "2", cursor } : { limit: "2" }, org.ownerToken);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.meta.nextCursor ?? null;
    } while (cursor);

    expect(seen.map((share) => share.shareId)).toEqual([...created].reverse());
    for (const share of seen) expect(exactShareDtoSchema.safeParse(share).error?.issues ?? []).toEqual([]);
  });

  it("lists a bot token's own bot's shares, and a conversation's with conversationId", async () => {
    const org = await apiOrganization();
    const [shareId] = await createLinks(org.botToken, org.conversation.id, 1);

    expect((await listPage({}, org.botToken)).data.map((share) => share.shareId)).toEqual([shareId]);
    const single = await listPage({ conversationId: org.conversation.id }, org.ownerToken);
    expect(single.data.map((share) => share.shareId)).toEqual([shareId]);
    expect(single.meta.nextCursor).toBeNull();
  });

  it("shows a token of another organization, and a VIEWER's, nothing", async () => {
    const org = await apiOrganization();
    await createLinks(org.ownerToken, org.conversation.id, 2);
    const stranger = await apiOrganization();
    const viewer = await memberWithToken(org.organization.id, "VIEWER");

    for (const token of [stranger.ownerToken, stranger.botToken, viewer.token]) {
      const page = await listPage({}, token);
      expect(page.data).toEqual([]);
      expect(page.meta.nextCursor).toBeNull();
    }
  });

  it("answers 400 for a cursor it did not make and a limit out of range, 401 without a token", async () => {
    const org = await apiOrganization();
    const queries: Record<string, string>[] = [{ cursor: "not-a-cursor" }, { limit: "0" }, { limit: "101" }, { limit: "ten" }];
    for (const query of queries) {
      const response = await shareApi.listPage(query, { token: org.ownerToken });
      const envelope = await readEnvelope(response);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(envelope).toMatchObject({ success: false, error: { code: "bad_request" } });
    }
    expect((await shareApi.listPage({}, { token: null })).status).toBe(401);
  });
});
