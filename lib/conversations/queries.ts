import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { crc32FromColumn } from "@/lib/files/crc32-tap";
import { openPosition, sealPosition } from "@/lib/sealed-position";
import type { Prisma, Controller } from "@/lib/generated/prisma/client";
import { conversationScope, messageScope, organizationIdsFor, readsAsOrganization, scopedConversation } from "@/lib/conversations/policy";
import { activeShareWhere } from "@/lib/shares/status";
import { messageSelect, toMessageView, type MessageView, type AttachmentView, type MessagePage } from "@/lib/conversations/message-view";

export type { MessageView, AttachmentView, MessagePage };

export const MESSAGE_PAGE_SIZE = 100;

/** The messages of this conversation the actor may read (none when it may not read the conversation). */
function readableMessages(actor: Actor, conversationId: string): Prisma.MessageWhereInput {
  return { conversationId, conversation: scopedConversation(actor, conversationId, "read"), ...messageScope(actor) };
}

/**
 * The newest `limit` messages before the cursor, oldest first: a reader starts at the latest
 * messages and pages back, so a 10,000-message conversation never renders at once.
 */
export function listMessagesPage(actor: Actor, conversationId: string, options: PageOptions = {}): Promise<MessagePage> {
  return pageOfMessages(readableMessages(actor, conversationId), options);
}

/**
 * The same page over several conversations as one thread: a web-chat contact's conversation and
 * those it was transferred to. Message seq is global, so the thread stays in the order written.
 */
export function listThreadPage(actor: Actor, conversationIds: string[], options: PageOptions = {}): Promise<MessagePage> {
  return pageOfMessages({ conversationId: { in: conversationIds }, conversation: conversationScope(actor, "read"), ...messageScope(actor) }, options);
}

/** `before`: a page's `earlierCursor`, as sealed by this server. */
type PageOptions = { before?: string | null; limit?: number };

function openCursor(before: string): bigint {
  const position = openPosition(before);
  if (position === null) throw new AppError("bad_request", "before must be the earlierCursor of a page.");
  return position;
}

async function pageOfMessages(where: Prisma.MessageWhereInput, { before, limit = MESSAGE_PAGE_SIZE }: PageOptions): Promise<MessagePage> {
  const rows = await prisma.message.findMany({
    where: { ...where, ...(before ? { seq: { lt: openCursor(before) } } : {}) },
    orderBy: { seq: "desc" },
    take: limit + 1,
    select: messageSelect,
  });
  const hasEarlier = rows.length > limit;
  const page = rows.slice(0, limit).reverse();
  return {
    messages: page.map(toMessageView),
    earlierCursor: hasEarlier && page.length > 0 ? sealPosition(page[0].seq) : null,
  };
}

/** The attachments of this conversation the actor may download: those of the messages it reads. */
function readableAttachments(actor: Actor, conversationId: string): Prisma.AttachmentWhereInput {
  return { conversationId, message: readableMessages(actor, conversationId) };
}

/** Every attachment a reader may download, in the order they were sent. */
export async function listAttachments(actor: Actor, conversationId: string, { limit }: { limit?: number } = {}) {
  const rows = await prisma.attachment.findMany({
    where: readableAttachments(actor, conversationId),
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, fileName: true, contentType: true, size: true },
  });
  return rows.map((row) => ({ ...row, size: Number(row.size) }));
}

export function countAttachments(actor: Actor, conversationId: string) {
  return prisma.attachment.count({ where: readableAttachments(actor, conversationId) });
}

/** One attachment, only if the reader may see its message; includes where its bytes are kept. */
export function findAttachment(actor: Actor, conversationId: string, attachmentId: string) {
  return prisma.attachment.findFirst({
    where: { id: attachmentId, ...readableAttachments(actor, conversationId) },
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
  if (!readsAsOrganization(actor)) return [];
  const search = query?.trim();
  const botIds = await listedBotIds(actor);
  if (botIds.length === 0) return [];
  const rows = await prisma.conversation.findMany({
    where: {
      AND: [
        conversationScope(actor, "read"),
        // Naming the bots (not joining Bot on the organization) lets the planner walk the
        // (botId, lastMessageAt, id) index newest first and stop after `limit` rows.
        { botId: { in: botIds } },
        search ? { id: { in: await searchConversationIds(botIds, search, limit) } } : {},
      ],
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
    },
  });
  // One row per shared conversation of the page, instead of every share of each.
  const shared = await prisma.share.findMany({
    where: { conversationId: { in: rows.map((row) => row.id) }, ...activeShareWhere(new Date()) },
    select: { conversationId: true },
    distinct: ["conversationId"],
  });
  const sharedIds = new Set(shared.map((share) => share.conversationId));
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    channel: row.channel,
    controller: row.controller,
    botName: row.bot.name,
    contactName: row.contact.name,
    messageCount: row.messageCount,
    lastMessageAt: row.lastMessageAt.toISOString(),
    hasActiveShare: sharedIds.has(row.id),
  }));
}

/** The bots whose conversations an organization reader's list shows (the scope still applies). */
async function listedBotIds(actor: Actor): Promise<string[]> {
  if (actor.kind === "bot_token" || actor.kind === "flow") return [actor.botId];
  const bots = await prisma.bot.findMany({
    where: actor.kind === "system" ? {} : { organizationId: { in: organizationIdsFor(actor, "read") } },
    select: { id: true },
  });
  return bots.map((bot) => bot.id);
}

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * The newest `limit` conversations of the bots whose title, contact name or contact channel id
 * contains `search` (case-insensitive): each branch is answered by its trigram index (or, for a
 * pattern matching most rows, by the newest-first index, stopping early), never by a scan of
 * every conversation.
 */
async function searchConversationIds(botIds: string[], search: string, limit: number): Promise<string[]> {
  const pattern = likePattern(search);
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM (
      (SELECT "id", "lastMessageAt" FROM "Conversation"
        WHERE "botId" = ANY(${botIds}::text[]) AND "title" ILIKE ${pattern}
        ORDER BY "lastMessageAt" DESC, "id" DESC LIMIT ${limit})
      UNION
      (SELECT c."id", c."lastMessageAt" FROM "Conversation" c JOIN "Contact" k ON k."id" = c."contactId"
        WHERE c."botId" = ANY(${botIds}::text[]) AND (k."name" ILIKE ${pattern} OR k."externalId" ILIKE ${pattern})
        ORDER BY c."lastMessageAt" DESC, c."id" DESC LIMIT ${limit})
    ) AS matches
    ORDER BY "lastMessageAt" DESC, "id" DESC LIMIT ${limit}`;
  return rows.map((row) => row.id);
}

/**
 * The conversation's header as its organization sees it (the contact's channel id included), for
 * members and the bot's own token; null for anyone else. Share links and contacts read the
 * public DTOs built for them (lib/shares/public.ts, lib/chat/queries.ts) instead.
 */
export async function findConversation(actor: Actor, conversationId: string) {
  if (!readsAsOrganization(actor)) return null;
  const row = await prisma.conversation.findFirst({
    where: scopedConversation(actor, conversationId, "read"),
    select: {
      id: true,
      title: true,
      channel: true,
      controller: true,
      messageCount: true,
      createdAt: true,
      lastMessageAt: true,
      bot: { select: { id: true, name: true, organizationId: true } },
      contact: { select: { name: true, externalId: true } },
    },
  });
  return row;
}

/** Every attachment a reader may download, read in batches so memory stays flat. */
export async function* iterateAttachments(actor: Actor, conversationId: string, batchSize = 500) {
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.attachment.findMany({
      where: readableAttachments(actor, conversationId),
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: { id: true, fileName: true, storageKey: true, createdAt: true, crc32: true },
    });
    for (const attachment of batch) yield { ...attachment, crc32: crc32FromColumn(attachment.crc32) };
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1].id;
  }
}

/**
 * A channel contact's latest conversation with the caller's bot, by the contact's id on its
 * channel (Contact.externalId), among the conversations the actor may read; null when there is
 * none. Web-chat contacts are never found: their externalId is the secret in a visitor's cookie,
 * not an id an integrator knows.
 */
export async function findContactConversation(actor: Actor, contactExternalId: string) {
  if (!readsAsOrganization(actor)) return null;
  return prisma.conversation.findFirst({
    where: { AND: [conversationScope(actor, "read"), { contact: { kind: "CHANNEL", externalId: contactExternalId } }] },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
}
