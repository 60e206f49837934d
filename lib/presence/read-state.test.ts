import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ContactActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { markSeenByContact } from "@/lib/presence/mutations";
import { findContactReadState } from "@/lib/presence/queries";
import { webContact } from "@/lib/presence/testing";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}));

const readRoute = await import("@/app/chat/[botId]/read/route");

const ORIGIN = "http://localhost:3000";
const saved = { ...process.env };
beforeEach(() => {
  jar.clear();
  process.env.APP_URL = ORIGIN;
  process.env.RATE_LIMIT_PRESENCE = "off";
});
afterEach(() => {
  process.env = { ...saved };
});

/** A web contact's conversation with `count` operator messages, oldest first. */
async function operatorThread(count: number) {
  const { bot } = await createOrganization();
  const { conversation, contact, messageIds } = await createConversation(
    bot.id,
    Array.from({ length: count }, (_, index) => ({ role: "OPERATOR" as const, text: `Operator ${index + 1}` })),
  );
  const actor: ContactActor = { kind: "contact", contactId: contact.id, botId: bot.id };
  return { conversationId: conversation.id, actor, messageIds, botId: bot.id };
}

/** The message ids of the conversation's "read" events, in event order. */
async function readEvents(conversationId: string): Promise<string[]> {
  const rows = await prisma.conversationEvent.findMany({ where: { conversationId, type: "read" }, orderBy: { id: "asc" }, select: { data: true } });
  return rows.map((row) => (row.data as { messageId: string }).messageId);
}

const readSeq = async (conversationId: string) =>
  (await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { contactReadSeq: true } })).contactReadSeq;

describe("the contact's read state", () => {
  it("moves forward with a stored read event, and a report of an older message changes nothing", async () => {
    const thread = await operatorThread(3);
    const [first, second] = thread.messageIds;
    expect(await markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId: second })).toEqual({ advanced: true });
    expect(await markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId: first })).toEqual({ advanced: false });
    expect(await markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId: second })).toEqual({ advanced: false });
    expect(await findContactReadState(thread.actor, thread.conversationId)).toEqual({ seenMessageId: second });
    expect(await readEvents(thread.conversationId)).toEqual([second]);
  });

  it("never moves backwards when many reports race in any order", async () => {
    const thread = await operatorThread(12);
    const order = [...thread.messageIds].sort(() => Math.random() - 0.5);
    // The newest first: every other report then arrives "late" and must lose.
    order.unshift(order.splice(order.indexOf(thread.messageIds.at(-1)!), 1)[0]);
    await Promise.all(order.map((messageId) => markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId })));
    expect(await findContactReadState(thread.actor, thread.conversationId)).toEqual({ seenMessageId: thread.messageIds.at(-1) });
    // Each published read is newer than the one before it: a console never shows "Seen" going back.
    const published = (await readEvents(thread.conversationId)).map((id) => thread.messageIds.indexOf(id));
    expect(published).toEqual([...published].sort((a, b) => a - b));
    expect(new Set(published).size).toBe(published.length);
  });

  it("refuses another conversation's contact, a message of another conversation and bad ids, writing nothing", async () => {
    const thread = await operatorThread(2);
    const other = await operatorThread(1);
    const attempts = [
      () => markSeenByContact(other.actor, { conversationId: thread.conversationId, messageId: thread.messageIds[0] }),
      () => markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId: other.messageIds[0] }),
      () => markSeenByContact(thread.actor, { conversationId: thread.conversationId, messageId: "not an id!" }),
    ];
    const codes = [];
    for (const attempt of attempts) codes.push(await attempt().catch((error: AppError) => error.code));
    expect(codes).toEqual(["not_found", "not_found", "bad_request"]);
    expect(await readSeq(thread.conversationId)).toBeNull();
    expect(await readEvents(thread.conversationId)).toEqual([]);
    await expect(findContactReadState(other.actor, thread.conversationId)).rejects.toThrow(/not found/);
  });
});

describe("POST /chat/<botId>/read", () => {
  const send = (botId: string, body: string) =>
    readRoute.POST(
      new Request(`${ORIGIN}/chat/${botId}/read`, { method: "POST", headers: { host: "localhost:3000", origin: ORIGIN, "content-type": "application/json" }, body }),
      { params: Promise.resolve({ botId }) },
    );

  it("marks the cookie's contact's message seen; no cookie, a message of another conversation or bad input get a 4xx and write nothing", async () => {
    const { bot } = await createOrganization();
    const contact = await webContact(jar, bot.id);
    const otherContact = await operatorThread(1);
    const own = await prisma.message.findFirstOrThrow({ where: { conversationId: contact.conversationId }, orderBy: { seq: "desc" } });

    expect((await send(bot.id, JSON.stringify({ messageId: otherContact.messageIds[0] }))).status).toBe(404);
    expect((await send(bot.id, "[]")).status).toBe(400);
    expect((await send(bot.id, JSON.stringify({ messageId: own.id, pad: "x".repeat(500) }))).status).toBe(413);
    jar.clear();
    expect((await send(bot.id, JSON.stringify({ messageId: own.id }))).status).toBe(404);
    expect(await readSeq(contact.conversationId)).toBeNull();
    expect(await readSeq(otherContact.conversationId)).toBeNull();

    jar.set(`sb_contact_${bot.id}`, contact.cookie);
    expect((await send(bot.id, JSON.stringify({ messageId: own.id }))).status).toBe(204);
    expect(await readSeq(contact.conversationId)).toBe(own.seq);
    expect(await readEvents(contact.conversationId)).toEqual([own.id]);
  });
});
