import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { authorizeConversation, conversationScope, messageScope, organizationIdsFor, readsAsOrganization, scopedConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { listControlEvents } from "@/lib/export/control-events";
import { mergeByTime, type ExportEntry, type ExportedConversation, type OrganizationExportFilter } from "@/lib/export/entries";
import type { MessageRole, Prisma } from "@/lib/generated/prisma/client";

/** Rows read per query: memory holds one batch of messages (or conversations) at a time. */
const EXPORT_BATCH_SIZE = 500;

const conversationSelect = {
  id: true,
  title: true,
  channel: true,
  bot: { select: { name: true } },
  contact: { select: { name: true } },
} as const satisfies Prisma.ConversationSelect;

type ConversationRow = Prisma.ConversationGetPayload<{ select: typeof conversationSelect }>;

const toExported = (row: ConversationRow): ExportedConversation => ({
  id: row.id,
  title: row.title,
  channel: row.channel,
  botName: row.bot.name,
  contactName: row.contact.name,
});

/**
 * One conversation's transcript for its organization (members who read it, its bot's token):
 * authorized before the first byte, so a refusal is a 404 rather than a broken download.
 */
export async function openConversationExport(actor: Actor, conversationId: string): Promise<{ title: string; entries: AsyncIterable<ExportEntry> }> {
  if (!readsAsOrganization(actor)) throw new AppError("not_found", "Conversation not found.");
  await authorizeConversation(prisma, actor, conversationId, "read");
  const row = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: conversationSelect });
  return { title: row.title, entries: conversationEntries(actor, toExported(row), {}) };
}

/**
 * Every conversation the actor may read, optionally of one bot and within a time range, as one
 * stream of entries: conversations in the order they were created, each in time order. A bot the
 * actor cannot read is "not found"; callers that read nothing as an organization get nothing.
 */
export async function openOrganizationExport(actor: Actor, filter: OrganizationExportFilter): Promise<{ entries: AsyncIterable<ExportEntry> }> {
  if (filter.botId) await assertBotReadable(actor, filter.botId);
  return { entries: organizationEntries(actor, filter) };
}

async function assertBotReadable(actor: Actor, botId: string) {
  const readable = await prisma.bot.count({ where: { AND: [{ id: botId }, botReadScope(actor)] } });
  if (readable === 0) throw new AppError("not_found", "Bot not found.");
}

function botReadScope(actor: Actor): Prisma.BotWhereInput {
  if (actor.kind === "user") return { organizationId: { in: organizationIdsFor(actor, "read") } };
  if (actor.kind === "bot_token") return { id: actor.botId };
  if (actor.kind === "system") return {};
  return { id: { in: [] } };
}

async function* organizationEntries(actor: Actor, filter: OrganizationExportFilter): AsyncGenerator<ExportEntry> {
  if (!readsAsOrganization(actor)) return;
  const where: Prisma.ConversationWhereInput = {
    AND: [
      conversationScope(actor, "read"),
      filter.botId ? { botId: filter.botId } : {},
      // Conversations that were alive during the range: begun before its end, written to after its start.
      filter.to ? { createdAt: { lt: filter.to } } : {},
      filter.from ? { lastMessageAt: { gte: filter.from } } : {},
    ],
  };
  let cursor: string | undefined;
  for (;;) {
    const batch = await prisma.conversation.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: EXPORT_BATCH_SIZE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: conversationSelect,
    });
    for (const row of batch) yield* conversationEntries(actor, toExported(row), filter);
    if (batch.length < EXPORT_BATCH_SIZE) return;
    cursor = batch[batch.length - 1].id;
  }
}

function timeRange({ from, to }: OrganizationExportFilter): Prisma.DateTimeFilter | undefined {
  if (!from && !to) return undefined;
  return { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) };
}

/** A conversation's messages and control events in time order; the caller has authorized it. */
async function* conversationEntries(actor: Actor, conversation: ExportedConversation, filter: OrganizationExportFilter): AsyncGenerator<ExportEntry> {
  const events = await listControlEvents(conversation, filter);
  yield* mergeByTime(messageEntries(actor, conversation, { range: timeRange(filter) }), events);
}

/** Who a message is by, as its organization sees it: the contact's, the bot's or the operator's name. */
function organizationAuthor(role: MessageRole, authorName: string | null, conversation: ExportedConversation): string | null {
  if (role === "CONTACT") return conversation.contactName;
  if (role === "BOT") return authorName ?? conversation.botName;
  return authorName;
}

/**
 * The messages of a conversation the actor reads (a partial share: its own), oldest first, read
 * in batches by position. `author` names each message's author as this reader may see it.
 */
export async function* messageEntries(
  actor: Actor,
  conversation: ExportedConversation,
  { range, author = organizationAuthor }: { range?: Prisma.DateTimeFilter; author?: typeof organizationAuthor },
): AsyncGenerator<ExportEntry> {
  let after: bigint | undefined;
  for (;;) {
    const batch = await prisma.message.findMany({
      where: {
        conversationId: conversation.id,
        conversation: scopedConversation(actor, conversation.id, "read"),
        ...messageScope(actor),
        ...(range ? { createdAt: range } : {}),
        ...(after !== undefined ? { seq: { gt: after } } : {}),
      },
      orderBy: { seq: "asc" },
      take: EXPORT_BATCH_SIZE,
      select: {
        id: true,
        seq: true,
        role: true,
        text: true,
        authorName: true,
        createdAt: true,
        attachments: { select: { id: true, fileName: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      },
    });
    for (const message of batch) {
      yield {
        conversationId: conversation.id,
        conversationTitle: conversation.title,
        botName: conversation.botName,
        channel: conversation.channel,
        kind: "message",
        time: message.createdAt,
        role: message.role.toLowerCase() as ExportEntry["role"],
        author: author(message.role, message.authorName, conversation),
        text: message.text,
        event: null,
        reason: null,
        messageId: message.id,
        fileIds: message.attachments.map((attachment) => attachment.id),
        fileNames: message.attachments.map((attachment) => attachment.fileName),
      };
    }
    if (batch.length < EXPORT_BATCH_SIZE) return;
    after = batch[batch.length - 1].seq;
  }
}
