import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ANONYMOUS } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { postMessage } from "@/lib/events/testing";
import { markSeenByContact } from "@/lib/presence/mutations";
import { heldWebChat, readStreamUntil, reportUntilDelivered, webContact } from "@/lib/presence/testing";
import { handBackConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { shareLinkActor } from "@/lib/testing/actors";
import { createMember, createOrganization } from "@/lib/testing/fixtures";

// The routes read the contact's and the operator's cookies through next/headers: one jar plays the
// browser (it holds both, so every refusal below is the route's own, not a missing cookie's).
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
    delete: (name: string) => void jar.delete(name),
  }),
  headers: async () => new Headers({ "x-forwarded-for": "10.9.9.9" }),
}));
// Signed in as `member.actor` on the owner's pages (anonymous unless a test sets it).
const member = vi.hoisted(() => ({ actor: { kind: "anonymous" } as unknown }));
vi.mock("@/lib/auth/current-actor", () => ({ getActor: async () => member.actor }));

const chatTyping = await import("@/app/chat/[botId]/typing/route");
const shareTyping = await import("@/app/share/[id]/typing/route");
const shareEvents = await import("@/app/share/[id]/events/route");
const ownerTyping = await import("@/app/(app)/conversations/[id]/typing/route");

const ORIGIN = "http://localhost:3000";

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { host: "localhost:3000", origin: ORIGIN, "content-type": "application/json", ...headers }, body });
}
const get = (path: string, signal?: AbortSignal) => new Request(`${ORIGIN}${path}`, { signal });
const botParams = (botId: string) => ({ params: Promise.resolve({ botId }) });
const shareParams = (id: string) => ({ params: Promise.resolve({ id }) });
const eventCount = (conversationId: string) => prisma.conversationEvent.count({ where: { conversationId } });
const typingFrame = (from: string) => (text: string) => text.includes("event: typing") && text.includes(`"from":"${from}"`);

const saved = { ...process.env };
const aborts: AbortController[] = [];
beforeEach(() => {
  jar.clear();
  member.actor = { kind: "anonymous" };
  process.env.APP_URL = ORIGIN;
  process.env.RATE_LIMIT_PRESENCE = "off";
});
afterEach(() => {
  process.env = { ...saved };
  for (const abort of aborts.splice(0)) abort.abort();
});

/** A GET of an SSE route, aborted after the test. */
function streamRequest(path: string) {
  const abort = new AbortController();
  aborts.push(abort);
  return get(path, abort.signal);
}

describe("typing between the contact and the operator", () => {
  it("shows the contact's typing to the operator holding the conversation, stores nothing, and tells no view-only reader", async () => {
    const chat = await heldWebChat(jar);
    const operatorStream = await shareTyping.GET(streamRequest(`/share/${chat.takeoverShare.publicId}/typing`), shareParams(chat.takeoverShare.publicId));
    expect(operatorStream.status).toBe(200);
    // A view-only link gets no typing stream, even in a browser that holds the takeover cookie.
    const viewTyping = await shareTyping.GET(streamRequest(`/share/${chat.viewShare.publicId}/typing`), shareParams(chat.viewShare.publicId));
    expect(viewTyping.status).toBe(404);
    const viewEvents = await shareEvents.GET(streamRequest(`/share/${chat.viewShare.publicId}/events`), shareParams(chat.viewShare.publicId));
    const viewText = readStreamUntil(viewEvents, (text) => text.includes("after typing"));
    const operatorText = readStreamUntil(operatorStream, typingFrame("contact"));
    const before = await eventCount(chat.conversationId);

    const answer = await reportUntilDelivered(
      () => chatTyping.POST(post(`/chat/${chat.org.bot.id}/typing`, '{"typing":true}'), botParams(chat.org.bot.id)),
      operatorText,
    );
    expect(answer.status).toBe(204);

    const frame = (await operatorText).split("\n\n").find(typingFrame("contact"))!;
    expect(frame).not.toMatch(/^id:/m);
    expect(JSON.parse(/^data: (.*)$/m.exec(frame)![1])).toEqual({ type: "typing", from: "contact", typing: true, name: null });
    expect(await eventCount(chat.conversationId)).toBe(before);
    // The share page's stream carries the next stored event, and never the typing before it.
    await postMessage(chat.conversationId, "after typing");
    expect(await viewText).not.toContain("typing\n");
  });

  it("shows the operator's typing with their name to the contact", async () => {
    const chat = await heldWebChat(jar);
    const contactStream = await chatTyping.GET(streamRequest(`/chat/${chat.org.bot.id}/typing`), botParams(chat.org.bot.id));
    expect(contactStream.status).toBe(200);
    const contactText = readStreamUntil(contactStream, typingFrame("operator"));
    const before = await eventCount(chat.conversationId);

    const answer = await reportUntilDelivered(
      () => shareTyping.POST(post(`/share/${chat.takeoverShare.publicId}/typing`, '{"typing":true}'), shareParams(chat.takeoverShare.publicId)),
      contactText,
    );
    expect(answer.status).toBe(204);
    const frame = (await contactText).split("\n\n").find(typingFrame("operator"))!;
    expect(JSON.parse(/^data: (.*)$/m.exec(frame)![1])).toEqual({ type: "typing", from: "operator", typing: true, name: "Dana" });
    expect(await eventCount(chat.conversationId)).toBe(before);
  });

  it("ends the operator's typing stream, and refuses their typing, once the session ends", async () => {
    const chat = await heldWebChat(jar);
    const operatorStream = await shareTyping.GET(streamRequest(`/share/${chat.takeoverShare.publicId}/typing`), shareParams(chat.takeoverShare.publicId));
    await handBackConversation(await shareLinkActor(chat.takeoverShare), { conversationId: chat.conversationId, secret: chat.secret });
    const ended = readStreamUntil(operatorStream, () => false);
    await chatTyping.POST(post(`/chat/${chat.org.bot.id}/typing`, '{"typing":true}'), botParams(chat.org.bot.id));
    await expect(ended).rejects.toThrow(/Stream ended/);
    await expect(ended).rejects.not.toThrow(/event: typing/);
    const refused = await shareTyping.POST(post(`/share/${chat.takeoverShare.publicId}/typing`, '{"typing":true}'), shareParams(chat.takeoverShare.publicId));
    expect(refused.status).toBe(403);
    expect((await shareTyping.GET(get(`/share/${chat.takeoverShare.publicId}/typing`), shareParams(chat.takeoverShare.publicId))).status).toBe(403);
  });
});

describe("typing on the owner's conversation page", () => {
  it("reaches the member holding the conversation, and no member who only reads it", async () => {
    const { bot, owner } = await createOrganization();
    const contact = await webContact(jar, bot.id);
    const held = await takeOverConversation(owner.actor, { conversationId: contact.conversationId });
    jar.set(`sb_takeover_${contact.conversationId}`, held.secret);
    const path = `/conversations/${contact.conversationId}/typing`;
    const params = shareParams(contact.conversationId);

    member.actor = (await createMember(owner.actor.memberships[0].organizationId, "VIEWER")).actor;
    expect((await ownerTyping.GET(get(path), params)).status).toBe(403);
    expect((await ownerTyping.POST(post(path, '{"typing":true}'), params)).status).toBe(403);
    member.actor = ANONYMOUS;
    expect((await ownerTyping.GET(get(path), params)).status).toBe(404);

    member.actor = owner.actor;
    const ownerStream = await ownerTyping.GET(streamRequest(path), params);
    expect(ownerStream.status).toBe(200);
    const heard = readStreamUntil(ownerStream, typingFrame("contact"));
    const contactStream = readStreamUntil(await chatTyping.GET(streamRequest(`/chat/${bot.id}/typing`), botParams(bot.id)), typingFrame("operator"));
    expect((await reportUntilDelivered(() => chatTyping.POST(post(`/chat/${bot.id}/typing`, '{"typing":true}'), botParams(bot.id)), heard)).status).toBe(204);
    expect((await reportUntilDelivered(() => ownerTyping.POST(post(path, '{"typing":true}'), params), contactStream)).status).toBe(204);
    await heard;
    expect(await contactStream).toContain(`"name":${JSON.stringify(owner.name)}`);
  });
});

describe("the read state on share pages", () => {
  it("reaches a takeover link's live stream and never a view-only link's", async () => {
    const chat = await heldWebChat(jar);
    const open = (id: string) => shareEvents.GET(streamRequest(`/share/${id}/events`), shareParams(id));
    const viewText = readStreamUntil(await open(chat.viewShare.publicId), (text) => text.includes("after read"));
    const takeoverText = readStreamUntil(await open(chat.takeoverShare.publicId), (text) => text.includes("after read"));
    const newest = await prisma.message.findFirstOrThrow({ where: { conversationId: chat.conversationId }, orderBy: { seq: "desc" } });
    await markSeenByContact(chat.contact.actor, { conversationId: chat.conversationId, messageId: newest.id });
    await postMessage(chat.conversationId, "after read");
    expect(await takeoverText).toContain(`event: read\n`);
    expect(await viewText).not.toContain("event: read");
  });
});

describe("typing refusals", () => {
  it("answers 404 without a contact cookie, and to a view-only link, whose typing goes nowhere", async () => {
    const chat = await heldWebChat(jar);
    const contactStream = await chatTyping.GET(streamRequest(`/chat/${chat.org.bot.id}/typing`), botParams(chat.org.bot.id));
    const heard = readStreamUntil(contactStream, typingFrame("operator"), 1_500);
    const viewPost = await shareTyping.POST(post(`/share/${chat.viewShare.publicId}/typing`, '{"typing":true}'), shareParams(chat.viewShare.publicId));
    expect(viewPost.status).toBe(404);
    await expect(heard).rejects.toThrow(/did not deliver/);

    jar.delete(`sb_contact_${chat.org.bot.id}`);
    expect((await chatTyping.POST(post(`/chat/${chat.org.bot.id}/typing`, '{"typing":true}'), botParams(chat.org.bot.id))).status).toBe(404);
    expect((await chatTyping.GET(get(`/chat/${chat.org.bot.id}/typing`), botParams(chat.org.bot.id))).status).toBe(404);
  });

  it("refuses a foreign origin, a large body and malformed input with a clear 4xx", async () => {
    const chat = await heldWebChat(jar);
    const bot = chat.org.bot.id;
    const send = (body: string, headers?: Record<string, string>) => chatTyping.POST(post(`/chat/${bot}/typing`, body, headers), botParams(bot));
    expect((await send('{"typing":true}', { origin: "https://evil.example" })).status).toBe(403);
    expect((await send(JSON.stringify({ typing: true, pad: "x".repeat(1_000) }))).status).toBe(413);
    const malformed = await send("{typing");
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(/JSON/);
    expect((await send('{"typing":"yes"}')).status).toBe(400);
    expect((await send('{"typing":true,"name":"Boss"}')).status).toBe(400);
  });

  it("limits how often one contact reports", async () => {
    process.env.RATE_LIMIT_PRESENCE = "3/1m";
    const chat = await heldWebChat(jar);
    const send = () => chatTyping.POST(post(`/chat/${chat.org.bot.id}/typing`, '{"typing":true}'), botParams(chat.org.bot.id));
    const statuses = [];
    for (let index = 0; index < 5; index += 1) statuses.push((await send()).status);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
    // Another contact of the same bot is not held back.
    await webContact(jar, chat.org.bot.id);
    expect((await send()).status).toBe(204);
  });
});
