import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/peoples/conversation/share/[mode]/[userId]/[duration]/route";
import { prisma } from "@/lib/db";
import { createBotToken, createPersonalToken } from "@/lib/tokens/mutations";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

// The compatible single-call share endpoint, called the way Next calls it.
function call(mode: string, userId: string, duration: string, token?: string) {
  const path = `/api/peoples/conversation/share/${mode}/${encodeURIComponent(userId)}/${duration}`;
  const request = new Request(`http://localhost${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return GET(request, { params: Promise.resolve({ mode, userId, duration }) });
}

async function botWithContact() {
  const org = await createOrganization();
  const { token } = await createBotToken(org.owner.actor, { botId: org.bot.id, name: "compat" });
  const { conversation, contact } = await createConversation(org.bot.id);
  return { ...org, token, conversation, contact };
}

describe("GET /api/peoples/conversation/share/<mode>/<user_id>/<duration>", () => {
  it("shares the contact's latest conversation and returns the same link for the same request", async () => {
    const { token, contact, conversation } = await botWithContact();

    const response = await call("takeover", contact.externalId, "24", token);

    expect(response.status).toBe(200);
    const body = (await response.json()) as { Url: string };
    expect(Object.keys(body)).toEqual(["Url"]);
    expect(body.Url).toMatch(/^https?:\/\/[^/]+\/share\/[A-Za-z0-9_-]+$/);
    const share = await prisma.share.findFirstOrThrow({ where: { conversationId: conversation.id } });
    expect(share).toMatchObject({ mode: "TAKEOVER", validityHours: 24, shareType: "FULL", visibility: "PUBLIC" });
    expect(body.Url.endsWith(`/share/${share.publicId}`)).toBe(true);

    const again = (await (await call("takeover", contact.externalId, "24", token)).json()) as { Url: string };
    expect(again.Url).toBe(body.Url);
    const other = (await (await call("view", contact.externalId, "24", token)).json()) as { Url: string };
    expect(other.Url).not.toBe(body.Url);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(2);
  });

  it("picks the contact's most recent conversation", async () => {
    const { token, contact, bot } = await botWithContact();
    const newer = await prisma.conversation.create({
      data: { botId: bot.id, contactId: contact.id, title: "Newer", lastMessageAt: new Date(Date.now() + 60_000) },
    });

    expect((await call("auto", contact.externalId, "1", token)).status).toBe(200);
    expect((await prisma.share.findFirstOrThrow({ where: { conversation: { contactId: contact.id } } })).conversationId).toBe(newer.id);
  });

  it("answers 400 for a bad mode or duration, writing nothing", async () => {
    const { token, contact, conversation } = await botWithContact();

    for (const [mode, duration] of [["edit", "24"], ["view", "0"], ["view", "1.5"], ["view", "abc"], ["view", "87601"], ["view", "-3"]]) {
      const response = await call(mode, contact.externalId, duration, token);
      expect(response.status, `${mode}/${duration}`).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/mode|duration/);
    }
    expect((await call("view", contact.externalId, "87600", token)).status).toBe(200);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  it("answers 401 for a missing, wrong or personal token", async () => {
    const { contact, owner } = await botWithContact();
    const { token: personal } = await createPersonalToken(owner.actor, { name: "me" });

    for (const token of [undefined, "sb_bot_" + "x".repeat(32), personal]) {
      const response = await call("view", contact.externalId, "24", token);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toBeTruthy();
    }
  });

  it("answers 404 for an unknown contact and for another bot's contact", async () => {
    const { token } = await botWithContact();
    const other = await botWithContact();

    const unknown = await call("view", "no-such-contact", "24", token);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "No conversation found for this user_id." });
    expect((await call("view", other.contact.externalId, "24", token)).status).toBe(404);
    expect(await prisma.share.count({ where: { conversationId: other.conversation.id } })).toBe(0);
  });

  it("answers 404 for a contact without a conversation", async () => {
    const { token, bot } = await botWithContact();
    const lonely = await prisma.contact.create({ data: { botId: bot.id, externalId: "lonely", name: "Lonely" } });
    expect((await call("view", lonely.externalId, "24", token)).status).toBe(404);
  });
});
