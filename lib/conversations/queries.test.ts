import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import {
  findAttachment,
  findConversation,
  listAttachments,
  listConversations,
  listMessagesPage,
  MESSAGE_PAGE_SIZE,
} from "@/lib/conversations/queries";
import { prisma } from "@/lib/db";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { systemActor } from "@/lib/auth/actor";
import { openPosition } from "@/lib/sealed-position";

// Paging and file listing, independent of who reads (lib/policy.test.ts covers who may).
const READER = systemActor("test reader");

const anonymous: Actor = { kind: "anonymous" };

/** Two organizations, Acme with two conversations and Globex with one. */
async function twoOrganizations() {
  const acme = await createOrganization("Acme");
  const globex = await createOrganization("Globex");
  const older = await createConversation(acme.bot.id, [{}], "Delivery question");
  const newer = await createConversation(acme.bot.id, [{}], "Invoice dispute");
  const foreign = await createConversation(globex.bot.id, [{}], "Invoice at Globex");
  await prisma.conversation.update({
    where: { id: older.conversation.id },
    data: { lastMessageAt: new Date("2030-01-01T00:00:00Z") },
  });
  await prisma.conversation.update({
    where: { id: newer.conversation.id },
    data: { lastMessageAt: new Date("2030-01-02T00:00:00Z") },
  });
  await prisma.contact.update({ where: { id: older.contact.id }, data: { name: "Ana Lima" } });
  await prisma.contact.update({ where: { id: foreign.contact.id }, data: { name: "Ana Globex" } });
  return { acme, globex, older, newer, foreign };
}

/** Adds `count` messages "Message <from>" … in one statement, in order. */
async function addMessages(conversationId: string, from: number, count: number) {
  await prisma.message.createMany({
    data: Array.from({ length: count }, (_, index) => ({
      conversationId,
      role: index % 2 === 0 ? ("CONTACT" as const) : ("BOT" as const),
      text: `Message ${from + index}`,
    })),
  });
}

describe("listConversations", () => {
  it("lists only the conversations of the actor's organizations, newest first", async () => {
    const { acme, globex, older, newer, foreign } = await twoOrganizations();

    const acmeList = await listConversations(acme.owner.actor);
    expect(acmeList.map((item) => item.id)).toEqual([newer.conversation.id, older.conversation.id]);
    expect(acmeList[1]).toMatchObject({
      title: "Delivery question",
      contactName: "Ana Lima",
      botName: acme.bot.name,
      channel: "web",
      controller: "BOT",
      messageCount: 1,
      hasActiveShare: false,
    });

    const globexList = await listConversations(globex.owner.actor);
    expect(globexList.map((item) => item.id)).toEqual([foreign.conversation.id]);
  });

  it("lets every role of the organization read the list", async () => {
    const { acme, older, newer } = await twoOrganizations();
    const viewer = await createMember(acme.organization.id, "VIEWER");
    const ids = (await listConversations(viewer.actor)).map((item) => item.id);
    expect(ids.sort()).toEqual([older.conversation.id, newer.conversation.id].sort());
  });

  it("shows nothing to an anonymous actor or to a user without organizations", async () => {
    await twoOrganizations();
    expect(await listConversations(anonymous)).toEqual([]);
    const loner: Actor = { kind: "user", userId: "nobody", name: "Nobody", email: "n@example.test", memberships: [] };
    expect(await listConversations(loner)).toEqual([]);
  });

  it("searches by title, case-insensitively, within the actor's organizations only", async () => {
    const { acme, globex, newer, foreign } = await twoOrganizations();
    expect((await listConversations(acme.owner.actor, { query: "invoice" })).map((item) => item.id)).toEqual([
      newer.conversation.id,
    ]);
    expect((await listConversations(acme.owner.actor, { query: "  DISPUTE " })).map((item) => item.id)).toEqual([
      newer.conversation.id,
    ]);
    expect((await listConversations(globex.owner.actor, { query: "invoice" })).map((item) => item.id)).toEqual([
      foreign.conversation.id,
    ]);
    expect(await listConversations(acme.owner.actor, { query: "Globex" })).toEqual([]);
  });

  it("searches by contact name", async () => {
    const { acme, older } = await twoOrganizations();
    expect((await listConversations(acme.owner.actor, { query: "ana" })).map((item) => item.id)).toEqual([
      older.conversation.id,
    ]);
    expect(await listConversations(acme.owner.actor, { query: "Nobody by that name" })).toEqual([]);
  });

  it("flags conversations with an active share", async () => {
    const { acme, older, newer } = await twoOrganizations();
    await createShare(acme.owner.actor, { conversationId: older.conversation.id, settings: {} });
    const { share } = await createShare(acme.owner.actor, { conversationId: newer.conversation.id, settings: {} });
    await revokeShare(acme.owner.actor, { shareId: share.id });

    const flags = Object.fromEntries(
      (await listConversations(acme.owner.actor)).map((item) => [item.id, item.hasActiveShare]),
    );
    expect(flags).toEqual({ [older.conversation.id]: true, [newer.conversation.id]: false });
  });

  it("respects the limit", async () => {
    const { acme, newer } = await twoOrganizations();
    expect((await listConversations(acme.owner.actor, { limit: 1 })).map((item) => item.id)).toEqual([
      newer.conversation.id,
    ]);
  });
});

describe("findConversation", () => {
  it("finds a conversation of the actor's organization", async () => {
    const { acme, older } = await twoOrganizations();
    const found = await findConversation(acme.owner.actor, older.conversation.id);
    expect(found).toMatchObject({
      id: older.conversation.id,
      title: "Delivery question",
      bot: { id: acme.bot.id, organizationId: acme.organization.id },
      contact: { name: "Ana Lima" },
    });
  });

  it("answers null for another organization's conversation, anonymous actors and unknown ids", async () => {
    const { acme, globex, foreign, older } = await twoOrganizations();
    expect(await findConversation(acme.owner.actor, foreign.conversation.id)).toBeNull();
    expect(await findConversation(globex.owner.actor, older.conversation.id)).toBeNull();
    expect(await findConversation(anonymous, older.conversation.id)).toBeNull();
    expect(await findConversation(acme.owner.actor, "no-such-conversation")).toBeNull();
  });
});

describe("listMessagesPage", () => {
  it("pages through 1,050 messages from the newest, each exactly once and in order", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const { conversation: neighbour } = await createConversation(bot.id, []);
    // The neighbour's messages take sequence numbers in between, as concurrent chats do.
    await addMessages(conversation.id, 1, 525);
    await addMessages(neighbour.id, 1, 30);
    await addMessages(conversation.id, 526, 525);
    const expected = Array.from({ length: 1050 }, (_, index) => `Message ${index + 1}`);

    const first = await listMessagesPage(READER, conversation.id);
    expect(first.messages).toHaveLength(MESSAGE_PAGE_SIZE);
    expect(first.messages.map((message) => message.text)).toEqual(expected.slice(-100));
    expect(first.earlierCursor).not.toBeNull();

    const second = await listMessagesPage(READER, conversation.id, { before: first.earlierCursor });
    expect(second.messages.map((message) => message.text)).toEqual(expected.slice(-200, -100));

    const pages = [first.messages];
    let cursor = first.earlierCursor;
    while (cursor) {
      const page = await listMessagesPage(READER, conversation.id, { before: cursor });
      expect(page.messages.length).toBeGreaterThan(0);
      pages.unshift(page.messages);
      cursor = page.earlierCursor;
    }

    expect(pages).toHaveLength(11);
    expect(pages[0]).toHaveLength(50);
    const all = pages.flat();
    expect(all.map((message) => message.text)).toEqual(expected);
    expect(new Set(all.map((message) => message.id)).size).toBe(1050);
    // Positions leave the server sealed: opaque (they would count other organizations' messages in
    // between), yet the server reads them back in order.
    expect(all.every((message) => /^[A-Za-z0-9_-]{22}$/.test(message.seq) && !/^\d+$/.test(message.seq))).toBe(true);
    const seqs = all.map((message) => openPosition(message.seq)!);
    expect(seqs.every((seq, index) => index === 0 || seq > seqs[index - 1])).toBe(true);
  });

  it("gives a last page with no cursor when the conversation fits in one page", async () => {
    const { bot } = await createOrganization();
    const { conversation, messageIds } = await createConversation(bot.id, [{}, {}, {}]);
    const page = await listMessagesPage(READER, conversation.id);
    expect(page.messages.map((message) => message.id)).toEqual(messageIds);
    expect(page.earlierCursor).toBeNull();
  });

  it("gives no cursor when the messages fill exactly one page", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    await addMessages(conversation.id, 1, 10);
    const page = await listMessagesPage(READER, conversation.id, { limit: 10 });
    expect(page.messages).toHaveLength(10);
    expect(page.earlierCursor).toBeNull();
  });

  it("shows each message's role, text and files, but nothing internal", async () => {
    const { bot } = await createOrganization();
    const { conversation, attachmentIds } = await createConversation(bot.id, [
      { role: "CONTACT", text: "Here is the photo", files: [{ fileName: "photo.jpg", bytes: "jpeg!", contentType: "image/jpeg" }] },
    ]);
    const [message] = (await listMessagesPage(READER, conversation.id)).messages;
    expect(message).toMatchObject({
      role: "CONTACT",
      text: "Here is the photo",
      authorName: null,
      attachments: [{ id: attachmentIds[0], fileName: "photo.jpg", contentType: "image/jpeg", size: 5 }],
    });
    expect(JSON.stringify(message)).not.toContain("storageKey");
    expect(JSON.stringify(message)).not.toContain(conversation.id);
  });

  it("is empty for a conversation id that has no messages", async () => {
    expect(await listMessagesPage(READER, "no-such-conversation")).toEqual({
      messages: [],
      earlierCursor: null,
    });
  });
});

describe("attachments of a conversation", () => {
  it("lists the files in the order they were sent and finds only this conversation's files", async () => {
    const { bot } = await createOrganization();
    const { conversation, attachmentIds } = await createConversation(bot.id, [
      { files: [{ fileName: "first.txt", bytes: "1" }] },
      { files: [{ fileName: "second.txt", bytes: "22" }] },
    ]);
    const { attachmentIds: otherIds } = await createConversation(bot.id, [{ files: [{ fileName: "x.txt", bytes: "x" }] }]);

    const files = await listAttachments(READER, conversation.id);
    expect(files).toEqual([
      { id: attachmentIds[0], fileName: "first.txt", contentType: "application/octet-stream", size: 1 },
      { id: attachmentIds[1], fileName: "second.txt", contentType: "application/octet-stream", size: 2 },
    ]);
    expect(await findAttachment(READER, conversation.id, attachmentIds[1])).toMatchObject({
      fileName: "second.txt",
    });
    expect(await findAttachment(READER, conversation.id, otherIds[0])).toBeNull();
  });
});
