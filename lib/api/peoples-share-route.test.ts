import { describe, expect, it } from "vitest";
import { GET, HEAD } from "@/app/api/peoples/conversation/share/[mode]/[userId]/[duration]/route";
import * as malformed from "@/app/api/peoples/conversation/share/[[...rest]]/route";
import { prisma } from "@/lib/db";
import { createBotToken, createPersonalToken } from "@/lib/tokens/mutations";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";

const HOUR_MS = 60 * 60 * 1000;

// The compatible single-call share endpoint, called the way Next calls it.
function call(mode: string, userId: string, duration: string, token?: string) {
  const path = `/api/peoples/conversation/share/${mode}/${encodeURIComponent(userId)}/${duration}`;
  const request = new Request(`http://localhost${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return GET(request, { params: Promise.resolve({ mode, userId, duration }) });
}

function headers(token?: string): HeadersInit {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

function head(mode: string, userId: string, duration: string, token?: string) {
  const request = new Request(`http://localhost/api/peoples/conversation/share/${mode}/${userId}/${duration}`, { method: "HEAD", headers: headers(token) });
  return HEAD(request, { params: Promise.resolve({ mode, userId, duration }) });
}

/** A path below /share that is not <mode>/<user_id>/<duration>, as Next hands it to the catch-all. */
function callMalformed(method: "GET" | "HEAD", rest: string[] | undefined, token?: string) {
  const path = ["/api/peoples/conversation/share", ...(rest ?? [])].join("/");
  return malformed[method](new Request(`http://localhost${path}`, { method, headers: headers(token) }));
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

  it("does not find a web-chat contact by its id", async () => {
    const { token, bot } = await botWithContact();
    // A web-chat contact's externalId is the secret in a visitor's cookie: knowing it must not
    // let a bot token share the visitor's conversation.
    const visitor = await prisma.contact.create({ data: { botId: bot.id, kind: "WEB", externalId: "cookie-secret", name: "Visitor" } });
    const conversation = await prisma.conversation.create({ data: { botId: bot.id, contactId: visitor.id, title: "Web chat" } });

    const response = await call("view", visitor.externalId, "24", token);

    expect(response.status).toBe(404);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it("counts the duration from each call: a repeated request extends the same link, never shortens it", async () => {
    const { token, contact, conversation, organization } = await botWithContact();
    const first = (await (await call("view", contact.externalId, "1", token)).json()) as { Url: string };
    const share = await prisma.share.findFirstOrThrow({ where: { conversationId: conversation.id } });
    // Late in the hour: ten minutes left.
    await prisma.share.update({ where: { id: share.id }, data: { expiresAt: new Date(Date.now() + 10 * 60_000) } });

    const before = Date.now();
    const again = (await (await call("view", contact.externalId, "1", token)).json()) as { Url: string };

    expect(again.Url).toBe(first.Url);
    const extended = await prisma.share.findUniqueOrThrow({ where: { id: share.id } });
    expect(extended.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + HOUR_MS);
    expect(extended.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + HOUR_MS);
    const events = await prisma.auditEvent.findMany({ where: { organizationId: organization.id, shareId: share.id, action: "share.extended" } });
    expect(events).toHaveLength(1);

    // An expiry already later than now + duration stays.
    const later = new Date(Date.now() + 5 * HOUR_MS);
    await prisma.share.update({ where: { id: share.id }, data: { expiresAt: later } });
    expect(((await (await call("view", contact.externalId, "1", token)).json()) as { Url: string }).Url).toBe(first.Url);
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).expiresAt).toEqual(later);
    expect(await prisma.auditEvent.count({ where: { shareId: share.id, action: "share.extended" } })).toBe(1);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  it("answers HEAD with 405 after authenticating, and writes nothing", async () => {
    const { token, contact, conversation, organization } = await botWithContact();
    const before = await organizationRowCounts([organization.id]);

    const response = await head("view", contact.externalId, "24", token);

    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET");
    expect((await head("view", contact.externalId, "24")).status).toBe(401);
    expect(await organizationRowCounts([organization.id])).toEqual(before);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(0);
  });

  it("answers a path with a missing or extra segment with a JSON 400, after the token", async () => {
    const { token, contact, organization } = await botWithContact();
    const before = await organizationRowCounts([organization.id]);

    for (const rest of [undefined, ["view"], ["view", contact.externalId], ["view", contact.externalId, "24", "extra"]]) {
      const response = await callMalformed("GET", rest, token);
      expect(response.status, String(rest)).toBe(400);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: string };
      expect(Object.keys(body)).toEqual(["error"]);
      expect(body.error).toMatch(/<mode>\/<user_id>\/<duration>/);
      expect((await callMalformed("HEAD", rest, token)).status).toBe(400);
    }
    const anonymous = await callMalformed("GET", ["view", contact.externalId]);
    expect(anonymous.status).toBe(401);
    expect(Object.keys((await anonymous.json()) as object)).toEqual(["error"]);
    expect(await organizationRowCounts([organization.id])).toEqual(before);
  });
});
