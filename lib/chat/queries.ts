import "server-only";
import type { ContactActor } from "@/lib/auth/actor";
import { conversationScope } from "@/lib/conversations/policy";
import { listThreadPage, type MessagePage } from "@/lib/conversations/queries";
import { prisma } from "@/lib/db";
import { settleTransfers } from "@/lib/transfers/expiry";

// What the public web chat reads. A contact is identified only by the id in their signed cookie
// (lib/chat/contact-cookie.ts), which names a WEB contact of that bot only (a channel contact with
// the same id is never reached from the web chat), and acts as a ContactActor: every query is
// scoped to that contact's own conversations.

/** The bot as a contact sees it: its name, never its flow or settings. */
export function findChatBot(botId: string) {
  return prisma.bot.findUnique({ where: { id: botId }, select: { id: true, name: true } });
}

/** The contact the web chat's cookie names on this bot, as an actor; null before their first message. */
export async function findWebContact(botId: string, contactExternalId: string): Promise<ContactActor | null> {
  const contact = await prisma.contact.findUnique({
    where: { botId_kind_externalId: { botId, kind: "WEB", externalId: contactExternalId } },
    select: { id: true },
  });
  return contact ? { kind: "contact", contactId: contact.id, botId } : null;
}

/**
 * The contact's conversation with the bot: the one asked for (the web chat opened on it, as after
 * "Continue this conversation"), else their latest. Only ever one of their own.
 */
function findOwnConversation(contact: ContactActor, conversationId?: string) {
  return prisma.conversation.findFirst({
    where: { botId: contact.botId, contactId: contact.contactId, ...(conversationId ? { id: conversationId } : {}) },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true, transfersOut: { select: { targetConversationId: true, endedAt: true } } },
  });
}

/**
 * The conversation the contact is talking in, or null before their first message (or when
 * `conversationId` is not theirs): that one or their latest conversation with the bot, or, while it is transferred to another bot, the target
 * conversation, where their messages and that bot's answers are stored (PRODUCT.md §6). The
 * chat page shows it and the live stream follows it.
 */
export async function findContactConversation(contact: ContactActor, conversationId?: string) {
  const own = await findOwnConversation(contact, conversationId);
  if (!own) return null;
  if (!own.transfersOut.some((transfer) => transfer.endedAt === null)) return { id: own.id };
  // The lazy check: a transfer that went stale closes now, and the contact is back with their bot.
  await settleTransfers(own.id);
  const open = await prisma.transfer.findFirst({
    where: { sourceConversationId: own.id, endedAt: null },
    select: { targetConversationId: true },
  });
  return { id: open?.targetConversationId ?? own.id };
}

/**
 * The newest messages of the contact's thread (none yet: an empty page): their conversation with
 * the bot and every conversation it was transferred to, so a reload mid-transfer still shows what
 * came before. `conversationId` is the one they talk in now, whose live events the chat follows.
 */
export async function listContactMessages(contact: ContactActor, conversationId?: string): Promise<MessagePage & { conversationId: string | null }> {
  const conversation = await findContactConversation(contact, conversationId);
  if (!conversation) return { conversationId: null, messages: [], earlierCursor: null };
  const own = (await findOwnConversation(contact, conversationId))!;
  const thread = [own.id, ...own.transfersOut.map((transfer) => transfer.targetConversationId)];
  return { conversationId: conversation.id, ...(await listThreadPage(contact, thread)) };
}

/**
 * A file of any of the contact's own conversations, or of a conversation one was transferred to
 * (the chat still shows those messages), with where its bytes are kept; null otherwise.
 */
export function findContactAttachment(contact: ContactActor, attachmentId: string) {
  return prisma.attachment.findFirst({
    where: { id: attachmentId, conversation: conversationScope(contact, "read") },
    select: { id: true, fileName: true, contentType: true, size: true, storageKey: true },
  });
}

/**
 * The name of the bot answering in a conversation the caller has already resolved for its
 * contact (their own, or the one they were transferred to): the web chat's header shows it, and
 * a bot's name is public on its chat page anyway.
 */
export async function findAnsweringBotName(activeConversationId: string): Promise<string | null> {
  const row = await prisma.conversation.findUnique({ where: { id: activeConversationId }, select: { bot: { select: { name: true } } } });
  return row?.bot.name ?? null;
}
