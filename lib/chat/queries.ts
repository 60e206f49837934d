import "server-only";
import { listMessagesPage, findAttachment, type MessagePage } from "@/lib/conversations/queries";
import { prisma } from "@/lib/db";

// What the public web chat reads. A contact is identified only by the id in their cookie, so
// every query is scoped to that contact of that bot.

/** The bot as a contact sees it: its name, never its flow or settings. */
export function findChatBot(botId: string) {
  return prisma.bot.findUnique({ where: { id: botId }, select: { id: true, name: true } });
}

/** The contact's latest conversation with the bot, or null before their first message. */
export function findContactConversation(botId: string, contactExternalId: string) {
  return prisma.conversation.findFirst({
    where: { botId, contact: { botId, externalId: contactExternalId } },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
}

/** The newest messages of the contact's conversation (none yet: an empty page). */
export async function listContactMessages(botId: string, contactExternalId: string): Promise<MessagePage & { conversationId: string | null }> {
  const conversation = await findContactConversation(botId, contactExternalId);
  if (!conversation) return { conversationId: null, messages: [], earlierCursor: null };
  return { conversationId: conversation.id, ...(await listMessagesPage({ conversationId: conversation.id })) };
}

/** A file of the contact's own conversation, with where its bytes are kept; null otherwise. */
export async function findContactAttachment(botId: string, contactExternalId: string, attachmentId: string) {
  const conversation = await findContactConversation(botId, contactExternalId);
  return conversation ? findAttachment({ conversationId: conversation.id }, attachmentId) : null;
}
