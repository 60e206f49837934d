import { text as readText } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import type { ContactActor } from "@/lib/auth/actor";
import { postContactMessage } from "@/lib/chat/mutations";
import { findContactAttachment, findContactConversation, listContactMessages } from "@/lib/chat/queries";
import { continueSharedConversation } from "@/lib/continuations/mutations";
import { listConversationForks } from "@/lib/continuations/queries";
import { prisma } from "@/lib/db";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import type { ShareSettingsInput } from "@/lib/shares/schemas";
import { getFileStorage } from "@/lib/storage";
import { takeOverConversation } from "@/lib/takeover/mutations";
import { shareLinkActor } from "@/lib/testing/actors";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts, recordStorageWrites } from "@/lib/testing/side-effects";

const FLOW = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Answer to {{contact_name}}" }] }] };

/** A bot with a flow, and a conversation of another contact with a file, shared with these settings. */
async function sharedConversation(settings: ShareSettingsInput = { allowContinuation: true }) {
  const org = await createOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
  const original = await createConversation(org.bot.id, [
    { text: "I need **help**", files: [{ fileName: "invoice.pdf", bytes: "invoice bytes", contentType: "application/pdf" }] },
    { text: "Sure" },
    { role: "OPERATOR", text: "An operator here" },
  ]);
  await prisma.conversation.update({ where: { id: original.conversation.id }, data: { variables: { order_token: "secret-token" } } });
  await prisma.message.update({ where: { id: original.messageIds[0] }, data: { html: "<p>I need <strong>help</strong></p>", authorName: null } });
  await prisma.message.update({ where: { id: original.messageIds[2] }, data: { authorName: "Dana" } });
  const { share } = await createShare(org.owner.actor, { conversationId: original.conversation.id, settings });
  return { ...org, original, share, link: await shareLinkActor(share) };
}

/** The viewer's web contact after they continued (as the route's cookie would name it). */
async function contactOf(conversationId: string): Promise<ContactActor> {
  const fork = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { contactId: true, botId: true } });
  return { kind: "contact", contactId: fork.contactId, botId: fork.botId };
}

const messagesOf = (conversationId: string) =>
  prisma.message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { role: true, text: true, html: true, authorName: true, createdAt: true },
  });

const continuationCount = async (shareId: string) => (await prisma.share.findUniqueOrThrow({ where: { id: shareId } })).continuationCount;

describe("continueSharedConversation", () => {
  it("gives an anonymous viewer a new web contact whose conversation is a copy of the shared messages, and nothing private", async () => {
    const { bot, original, share, link } = await sharedConversation();
    const before = await messagesOf(original.conversation.id);

    const continuation = await continueSharedConversation(link, { botId: bot.id, contact: null });

    expect(continuation).toMatchObject({ botId: bot.id, created: true });
    expect(continuation.newContactExternalId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const fork = await prisma.conversation.findUniqueOrThrow({ where: { id: continuation.conversationId }, include: { contact: true } });
    expect(fork).toMatchObject({ botId: bot.id, channel: "web", controller: "BOT", variables: {}, messageCount: 3, forkedFromShareId: share.id });
    expect(fork.forkedFromConversationId).toBe(original.conversation.id);
    expect(fork.contactId).not.toBe(original.contact.id);
    expect(fork.contact).toMatchObject({ kind: "WEB", externalId: continuation.newContactExternalId });
    // Roles, text, HTML, author names and times, in order.
    expect(await messagesOf(fork.id)).toEqual(before);
    expect(await continuationCount(share.id)).toBe(1);
    // The original is only read.
    expect(await messagesOf(original.conversation.id)).toEqual(before);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: original.conversation.id } })).messageCount).toBe(3);
    // The web chat opens it as the contact's conversation, and the bot answers their next message there.
    const contact = await contactOf(fork.id);
    expect(await findContactConversation(contact)).toEqual({ id: fork.id });
    const sent = await postContactMessage(contact, { botId: bot.id, conversationId: fork.id, text: "Still broken" });
    expect(sent.conversationId).toBe(fork.id);
    expect(sent.messages.map((message) => [message.role, message.text])).toEqual([
      ["CONTACT", "Still broken"],
      ["BOT", "Answer to Guest"],
    ]);
    expect(await prisma.message.count({ where: { conversationId: original.conversation.id } })).toBe(3);
  });

  it("returns a viewer's second click to their fork, without another copy or count", async () => {
    const { bot, share, link } = await sharedConversation();
    const first = await continueSharedConversation(link, { botId: bot.id, contact: null });
    const contact = await contactOf(first.conversationId);

    const second = await continueSharedConversation(link, { botId: bot.id, contact });

    expect(second).toEqual({ conversationId: first.conversationId, botId: bot.id, newContactExternalId: null, created: false });
    expect(await prisma.conversation.count({ where: { forkedFromShareId: share.id } })).toBe(1);
    expect(await continuationCount(share.id)).toBe(1);
  });

  it("makes one fork when the same viewer continues twice at once", async () => {
    const { bot, organization, share, link } = await sharedConversation();
    // A contact who already talks to the bot (their cookie names them), continuing in two tabs.
    const own = await postContactMessage({ kind: "anonymous" }, { botId: bot.id, text: "hi" });
    const contact = await contactOf(own.conversationId);
    const before = await organizationRowCounts([organization.id]);

    const results = await Promise.all([1, 2, 3].map(() => continueSharedConversation(link, { botId: bot.id, contact })));

    expect(new Set(results.map((result) => result.conversationId)).size).toBe(1);
    expect(results.filter((result) => result.created)).toHaveLength(1);
    expect(await continuationCount(share.id)).toBe(1);
    const after = await organizationRowCounts([organization.id]);
    expect({ conversations: after.conversations - before.conversations, messages: after.messages - before.messages, attachments: after.attachments - before.attachments }).toEqual({
      conversations: 1,
      messages: 3,
      attachments: 1,
    });
  });

  it("makes one fork per viewer when two viewers continue at once, and counts both", async () => {
    const { bot, owner, original, share, link } = await sharedConversation();

    const [a, b] = await Promise.all([continueSharedConversation(link, { botId: bot.id, contact: null }), continueSharedConversation(link, { botId: bot.id, contact: null })]);

    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.newContactExternalId).not.toBe(b.newContactExternalId);
    expect(await continuationCount(share.id)).toBe(2);
    // The owner sees both from the original conversation; a viewer's contact sees only their own.
    const forks = await listConversationForks(owner.actor, original.conversation.id);
    expect(forks.map((fork) => fork.id).sort()).toEqual([a.conversationId, b.conversationId].sort());
    expect((await listConversationForks(await contactOf(a.conversationId), original.conversation.id)).map((fork) => fork.id)).toEqual([a.conversationId]);
  });

  it("copies only the chosen messages of a partial share", async () => {
    const org = await createOrganization();
    const original = await createConversation(org.bot.id, [{ text: "one" }, { text: "two" }, { text: "three" }, { text: "four" }]);
    const { share } = await createShare(org.owner.actor, {
      conversationId: original.conversation.id,
      settings: { allowContinuation: true, shareType: "PARTIAL", messageIds: [original.messageIds[1], original.messageIds[3]] },
    });

    const { conversationId } = await continueSharedConversation(await shareLinkActor(share), { botId: org.bot.id, contact: null });

    expect((await messagesOf(conversationId)).map((message) => message.text)).toEqual(["two", "four"]);
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).messageCount).toBe(2);
  });

  it("gives the fork its own copy of every file: it still downloads after the original and its files are gone", async () => {
    const { bot, original, link } = await sharedConversation();
    const { conversationId } = await continueSharedConversation(link, { botId: bot.id, contact: null });
    const contact = await contactOf(conversationId);
    const copied = await prisma.attachment.findFirstOrThrow({ where: { conversationId } });
    const source = await prisma.attachment.findFirstOrThrow({ where: { conversationId: original.conversation.id } });
    expect(copied).toMatchObject({ fileName: "invoice.pdf", contentType: "application/pdf", size: source.size });
    expect(copied.storageKey).not.toBe(source.storageKey);

    await getFileStorage().remove(source.storageKey);
    await prisma.conversation.delete({ where: { id: original.conversation.id } });

    const found = await findContactAttachment(contact, copied.id);
    expect(found?.storageKey).toBe(copied.storageKey);
    const opened = await getFileStorage().open(copied.storageKey);
    expect(await readText(opened!.stream)).toBe("invoice bytes");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).forkedFromConversationId).toBeNull();
  });

  it("gives no control of the original through a takeover link", async () => {
    const { bot, original, share } = await sharedConversation({ allowContinuation: true, mode: "TAKEOVER" });
    const link = await shareLinkActor(share);

    const { conversationId } = await continueSharedConversation(link, { botId: bot.id, contact: null });

    const conversations = await prisma.conversation.findMany({ where: { id: { in: [original.conversation.id, conversationId] } }, select: { controller: true } });
    expect(conversations.map((conversation) => conversation.controller)).toEqual(["BOT", "BOT"]);
    expect(await prisma.takeoverSession.count({ where: { conversationId: { in: [original.conversation.id, conversationId] } } })).toBe(0);
    // The link operates the original only, never the fork.
    await expectAppError(takeOverConversation(link, { conversationId }), "not_found");
  });

  it.each([
    ["a link that does not allow continuation", async (s: Awaited<ReturnType<typeof sharedConversation>>) => {
      await prisma.share.update({ where: { id: s.share.id }, data: { allowContinuation: false } });
    }],
    ["a revoked link", async (s: Awaited<ReturnType<typeof sharedConversation>>) => {
      await revokeShare(s.owner.actor, { shareId: s.share.id });
    }],
    ["an expired link", async (s: Awaited<ReturnType<typeof sharedConversation>>) => {
      await prisma.share.update({ where: { id: s.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    }],
  ])("refuses %s as not found, writing nothing", async (_, makeUnavailable) => {
    const s = await sharedConversation();
    await makeUnavailable(s);
    const before = await organizationRowCounts([s.organization.id]);
    const writes = recordStorageWrites();

    await expectAppError(continueSharedConversation(s.link, { botId: s.bot.id, contact: null }).finally(writes.stop), "not_found");

    expect(await organizationRowCounts([s.organization.id])).toEqual(before);
    expect(await continuationCount(s.share.id)).toBe(0);
    expect(writes.keys).toEqual([]);
  });

  it("refuses another bot's chat and another bot's contact", async () => {
    const s = await sharedConversation();
    const other = await createOrganization();
    const stranger = await postContactMessage({ kind: "anonymous" }, { botId: other.bot.id, text: "hi" });
    const before = await organizationRowCounts([s.organization.id, other.organization.id]);

    await expectAppError(continueSharedConversation(s.link, { botId: other.bot.id, contact: null }), "not_found");
    await expectAppError(continueSharedConversation(s.link, { botId: s.bot.id, contact: await contactOf(stranger.conversationId) }), "not_found");

    expect(await organizationRowCounts([s.organization.id, other.organization.id])).toEqual(before);
  });
});

describe("the web chat opened on a conversation", () => {
  it("opens a fork for its own contact only: another contact neither reads nor writes it", async () => {
    const { bot, organization, link } = await sharedConversation();
    const { conversationId } = await continueSharedConversation(link, { botId: bot.id, contact: null });
    const owner = await contactOf(conversationId);
    const other = await contactOf((await postContactMessage({ kind: "anonymous" }, { botId: bot.id, text: "me too" })).conversationId);
    const fileId = (await prisma.attachment.findFirstOrThrow({ where: { conversationId } })).id;

    // The other contact's latest conversation is now theirs, the fork is not reachable by id.
    expect((await listContactMessages(owner, conversationId)).conversationId).toBe(conversationId);
    expect(await listContactMessages(other, conversationId)).toEqual({ conversationId: null, messages: [], earlierCursor: null });
    expect(await findContactConversation(other, conversationId)).toBeNull();
    expect(await findContactAttachment(other, fileId)).toBeNull();
    const before = await organizationRowCounts([organization.id]);
    await expectAppError(postContactMessage(other, { botId: bot.id, conversationId, text: "let me in" }), "not_found");
    await expectAppError(postContactMessage({ kind: "anonymous" }, { botId: bot.id, conversationId, text: "let me in" }), "not_found");
    expect(await organizationRowCounts([organization.id])).toEqual(before);
  });

  it("keeps a contact's messages in the conversation the chat was opened on, not their latest", async () => {
    const { bot, link } = await sharedConversation();
    const { conversationId: fork } = await continueSharedConversation(link, { botId: bot.id, contact: null });
    const contact = await contactOf(fork);
    // A newer conversation of the same contact (another link of the same bot continued later).
    const newer = await prisma.conversation.create({ data: { botId: bot.id, contactId: contact.contactId, title: "newer", lastMessageAt: new Date(Date.now() + 60_000) } });

    expect(await findContactConversation(contact)).toEqual({ id: newer.id });
    const sent = await postContactMessage(contact, { botId: bot.id, conversationId: fork, text: "back here" });

    expect(sent.conversationId).toBe(fork);
    expect(await prisma.message.count({ where: { conversationId: newer.id } })).toBe(0);
  });
});
