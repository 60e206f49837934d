import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope, readsAsOrganization } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { inboxState, type InboxItem, type InboxState } from "@/lib/inbox/view";
import { activeShareWhere } from "@/lib/shares/status";

// The team's inbox: the conversation list with its state, who holds what and each member's
// unread counts. Members only (it names operators and counts per member).

function inboxSelect(now: Date) {
  return {
    id: true,
    title: true,
    channel: true,
    controller: true,
    needsHumanAt: true,
    needsHumanNote: true,
    messageCount: true,
    lastMessageAt: true,
    bot: { select: { name: true } },
    contact: { select: { name: true } },
    shares: { where: activeShareWhere(now), select: { id: true }, take: 1 },
    takeoverSessions: { where: { endedAt: null }, select: { operatorName: true, operatorUserId: true }, take: 1 },
  } satisfies Prisma.ConversationSelect;
}

type InboxRow = Prisma.ConversationGetPayload<{ select: ReturnType<typeof inboxSelect> }>;

/** The `where` of one state (controller and the needs-a-person mark). */
function stateWhere(state: InboxState): Prisma.ConversationWhereInput {
  switch (state) {
    case "needs_human":
      return { controller: "BOT", needsHumanAt: { not: null } };
    case "operator":
      return { controller: "OPERATOR" };
    case "bot":
      return { controller: "BOT", needsHumanAt: null };
    case "transferred":
      return { controller: "TRANSFERRED" };
  }
}

/**
 * Contact messages each conversation has since the member last opened it; before a member first
 * opens one, those since they joined its organization (a new member does not start with the whole
 * history unread). Joined through the membership, so a conversation outside the member's
 * organizations counts nothing.
 */
export async function unreadCounts(userId: string, conversationIds: string[]): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await prisma.$queryRaw<{ id: string; unread: number }[]>`
    SELECT m."conversationId" AS id, count(*)::int AS unread
    FROM "Message" m
    JOIN "Conversation" c ON c.id = m."conversationId"
    JOIN "Bot" b ON b.id = c."botId"
    JOIN "Membership" ms ON ms."organizationId" = b."organizationId" AND ms."userId" = ${userId}
    LEFT JOIN "ConversationReadMarker" r ON r."conversationId" = m."conversationId" AND r."userId" = ${userId}
    WHERE m."conversationId" IN (${Prisma.join(conversationIds)})
      AND m.role = 'CONTACT'
      AND CASE WHEN r."userId" IS NULL THEN m."createdAt" > ms."createdAt" ELSE m.seq > r."lastReadSeq" END
    GROUP BY m."conversationId"`;
  return new Map(rows.map((row) => [row.id, Number(row.unread)]));
}

function toInboxItem(row: InboxRow, userId: string, unread: number): InboxItem {
  const session = row.takeoverSessions[0];
  return {
    id: row.id,
    title: row.title,
    channel: row.channel,
    botName: row.bot.name,
    contactName: row.contact.name,
    messageCount: row.messageCount,
    lastMessageAt: row.lastMessageAt.toISOString(),
    hasActiveShare: row.shares.length > 0,
    state: inboxState(row.controller, row.needsHumanAt),
    operatorName: row.controller === "OPERATOR" ? (session?.operatorName ?? null) : null,
    heldByYou: row.controller === "OPERATOR" && session?.operatorUserId === userId,
    needsHumanNote: row.needsHumanAt ? row.needsHumanNote : null,
    unread,
  };
}

/**
 * The member's conversation list, newest first: optionally one state only, optionally searched by
 * title or contact. Empty for anyone but a member.
 */
export async function listInbox(
  actor: Actor,
  { query, state, limit = 50 }: { query?: string; state?: InboxState; limit?: number } = {},
): Promise<InboxItem[]> {
  if (actor.kind !== "user" || !readsAsOrganization(actor)) return [];
  const search = query?.trim();
  const rows = await prisma.conversation.findMany({
    where: {
      AND: [
        conversationScope(actor, "read"),
        state ? stateWhere(state) : {},
        search
          ? {
              OR: [
                { title: { contains: search, mode: "insensitive" } },
                { contact: { name: { contains: search, mode: "insensitive" } } },
                { contact: { externalId: { contains: search, mode: "insensitive" } } },
              ],
            }
          : {},
      ],
    },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    take: limit,
    select: inboxSelect(new Date()),
  });
  const unread = await unreadCounts(actor.userId, rows.map((row) => row.id));
  return rows.map((row) => toInboxItem(row, actor.userId, unread.get(row.id) ?? 0));
}

/**
 * One conversation as a member's list shows it, for the inbox stream; null unless the actor is, at
 * this moment, a member of one of `organizationIds` owning it. Reads the membership from the
 * database on every call, so a member removed while their stream is open stops receiving at once.
 */
export async function findInboxItemForMember(actor: Actor, organizationIds: string[], conversationId: string): Promise<InboxItem | null> {
  if (actor.kind !== "user") return null;
  const { userId } = actor;
  const row = await prisma.conversation.findFirst({
    where: { id: conversationId, bot: { organizationId: { in: organizationIds }, organization: { memberships: { some: { userId } } } } },
    select: inboxSelect(new Date()),
  });
  if (!row) return null;
  const unread = await unreadCounts(userId, [row.id]);
  return toInboxItem(row, userId, unread.get(row.id) ?? 0);
}

/** Conversations of the organizations changed since `since`, for the stream's safety poll. */
export async function changedConversationIds(actor: Actor, organizationIds: string[], since: Date, limit = 200): Promise<string[]> {
  if (actor.kind !== "user") return [];
  const { userId } = actor;
  const rows = await prisma.conversation.findMany({
    where: { updatedAt: { gte: since }, bot: { organizationId: { in: organizationIds }, organization: { memberships: { some: { userId } } } } },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}
