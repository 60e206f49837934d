import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { Prisma, Controller } from "@/lib/generated/prisma/client";
import { conversationScope } from "@/lib/conversations/policy";
import { activeShareWhere } from "@/lib/shares/status";
import { messageSelect, toMessageView, type MessageView, type AttachmentView, type MessagePage } from "@/lib/conversations/message-view";

export type { MessageView, AttachmentView, MessagePage };

export const MESSAGE_PAGE_SIZE = 100;

/** Which messages a reader may see: the whole conversation, or the messages of a partial share. */
export type MessageFilter = { conversationId: string; partialShareId?: string };

function messageWhere(filter: MessageFilter): Prisma.MessageWhereInput {
  return {
    conversationId: filter.conversationId,
    ...(filter.partialShareId ? { shareMessages: { some: { shareId: filter.partialShareId } } } : {}),
  };
}

/**
 * The newest `limit` messages before the cursor, oldest first: a reader starts at the latest
 * messages and pages back, so a 10,000-message conversation never renders at once.
 */
export function listMessagesPage(filter: MessageFilter, options: PageOptions = {}): Promise<MessagePage> {
  return pageOfMessages(messageWhere(filter), options);
}

/**
 * The same page over several conversations as one thread: a web-chat contact's conversation and
 * those it was transferred to. Message seq is global, so the thread stays in the order written.
 */
export function listThreadPage(conversationIds: string[], options: PageOptions = {}): Promise<MessagePage> {
  return pageOfMessages({ conversationId: { in: conversationIds } }, options);
}

type PageOptions = { before?: string | null; limit?: number };

async function pageOfMessages(where: Prisma.MessageWhereInput, { before, limit = MESSAGE_PAGE_SIZE }: PageOptions): Promise<MessagePage> {
  const rows = await prisma.message.findMany({
    where: { ...where, ...(before ? { seq: { lt: BigInt(before) } } : {}) },
    orderBy: { seq: "desc" },
    take: limit + 1,
    select: messageSelect,
  });
  const hasEarlier = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return {
    messages: page.map(toMessageView),
    earlierCursor: hasEarlier && page.length > 0 ? page[0].seq.toString() : null,
  };
}

/** Every attachment a reader may download, in the order they were sent. */
export async function listAttachments(filter: MessageFilter, { limit }: { limit?: number } = {}) {
  const rows = await prisma.attachment.findMany({
    where: { conversationId: filter.conversationId, message: messageWhere(filter) },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, fileName: true, contentType: true, size: true },
  });
  return rows.map((row) => ({ ...row, size: Number(row.size) }));
}

export function countAttachments(filter: MessageFilter) {
  return prisma.attachment.count({
    where: { conversationId: filter.conversationId, message: messageWhere(filter) },
  });
}

/** One attachment, only if the reader may see its message; includes where its bytes are kept. */
export function findAttachment(filter: MessageFilter, attachmentId: string) {
  return prisma.attachment.findFirst({
    where: { id: attachmentId, conversationId: filter.conversationId, message: messageWhere(filter) },
    select: { id: true, fileName: true, contentType: true, size: true, storageKey: true },
  });
}

export type ConversationListItem = {
  id: string;
  title: string;
  channel: string;
  controller: Controller;
  botName: string;
  contactName: string;
  messageCount: number;
  lastMessageAt: string;
  hasActiveShare: boolean;
};

/** The conversations the actor may read, newest first, optionally filtered by title or contact. */
export async function listConversations(
  actor: Actor,
  { query, limit = 50 }: { query?: string; limit?: number } = {},
): Promise<ConversationListItem[]> {
  const search = query?.trim();
  const now = new Date();
  const rows = await prisma.conversation.findMany({
    where: {
      ...conversationScope(actor, "read"),
      ...(search
        ? {
            OR: [
              { title: { contains: search, mode: "insensitive" } },
              { contact: { name: { contains: search, mode: "insensitive" } } },
              { contact: { externalId: { contains: search, mode: "insensitive" } } },
            ],
          }
        : {}),
    },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: limit,
    select: {
      id: true,
      title: true,
      channel: true,
      controller: true,
      messageCount: true,
      lastMessageAt: true,
      bot: { select: { name: true } },
      contact: { select: { name: true } },
      shares: {
        where: activeShareWhere(now),
        select: { id: true },
        take: 1,
      },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    channel: row.channel,
    controller: row.controller,
    botName: row.bot.name,
    contactName: row.contact.name,
    messageCount: row.messageCount,
    lastMessageAt: row.lastMessageAt.toISOString(),
    hasActiveShare: row.shares.length > 0,
  }));
}

/** The conversation's header for a reader who may read it; null for anyone else. */
export async function findConversation(actor: Actor, conversationId: string) {
  const row = await prisma.conversation.findFirst({
    where: { id: conversationId, ...conversationScope(actor, "read") },
    select: {
      id: true,
      title: true,
      channel: true,
      controller: true,
      messageCount: true,
      createdAt: true,
      updatedAt: true,
      bot: { select: { id: true, name: true, organizationId: true } },
      contact: { select: { name: true, externalId: true } },
    },
  });
  return row;
}

/** Every attachment a reader may download, read in batches so memory stays flat. */
export async function* iterateAttachments(filter: MessageFilter, batchSize = 500) {
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.attachment.findMany({
      where: { conversationId: filter.conversationId, message: messageWhere(filter) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, fileName: true, storageKey: true, createdAt: true },
    });
    yield* batch;
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1].id;
  }
}
