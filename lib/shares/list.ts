import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { idSchema } from "@/lib/ids";
import { ownerShareSelect, toOwnerShare, type OwnerShare } from "@/lib/shares/queries";
import { MAX_SHARE_LIST_PAGE_SIZE, SHARE_LIST_PAGE_SIZE, type ShareListFilter } from "@/lib/shares/schemas";
import { activeShareWhere } from "@/lib/shares/status";

function statusWhere(status: ShareListFilter["status"], now: Date): Prisma.ShareWhereInput {
  switch (status) {
    case "active":
      return activeShareWhere(now);
    case "revoked":
      return { revokedAt: { not: null } };
    case "expired":
      return { revokedAt: null, expiresAt: { lte: now } };
    case undefined:
      return {};
  }
}

/**
 * The shares this actor manages (those of conversations it may share: a member's organizations
 * where they are an owner or admin, a bot token's own bot) that match the filter. Everything the
 * list and the bulk revoke touch goes through this `where`, so neither can reach further.
 */
export function managedSharesWhere(actor: Actor, filter: ShareListFilter, now = new Date()): Prisma.ShareWhereInput {
  return {
    AND: [
      { conversation: conversationScope(actor, "share") },
      filter.conversationId ? { conversationId: filter.conversationId } : {},
      filter.botId ? { conversation: { botId: filter.botId } } : {},
      filter.q ? { conversation: { title: { contains: filter.q, mode: "insensitive" } } } : {},
      filter.mode ? { mode: filter.mode } : {},
      statusWhere(filter.status, now),
    ],
  };
}

// A page ends at a share; the next starts after it in (createdAt desc, id desc) order, so shares
// created in the same millisecond are neither repeated nor skipped.
type CursorPosition = { createdAt: Date; id: string };

const encodeCursor = ({ createdAt, id }: CursorPosition) => Buffer.from(`${createdAt.toISOString()}|${id}`).toString("base64url");

function decodeCursor(cursor: string): CursorPosition {
  const [iso, id, ...rest] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (rest.length > 0 || Number.isNaN(createdAt.getTime()) || !idSchema.safeParse(id).success) {
    throw new AppError("bad_request", "cursor must be the nextCursor of a page.", { cursor: ["cursor must be the nextCursor of a page."] });
  }
  return { createdAt, id: id! };
}

function afterCursor(cursor: string | undefined): Prisma.ShareWhereInput {
  if (!cursor) return {};
  const { createdAt, id } = decodeCursor(cursor);
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

const listedShareSelect = {
  ...ownerShareSelect,
  conversation: { select: { title: true, bot: { select: { id: true, name: true } } } },
  user: { select: { name: true } },
  createdByBot: { select: { name: true } },
} satisfies Prisma.ShareSelect;

/** A share as the links page shows it: the owner's view plus the names it is listed under. */
export type ListedShare = OwnerShare & {
  conversationTitle: string;
  botId: string;
  botName: string;
  /** The member's name, or the bot's when a bot made it (null once that bot is deleted). */
  creatorName: string | null;
};

export type ShareListPage = { shares: ListedShare[]; nextCursor: string | null };

export type ListSharesOptions = { filter?: ShareListFilter; cursor?: string; limit?: number };

/** One page of the shares the actor manages, newest first; `nextCursor` is null on the last page. */
export async function listShares(actor: Actor, { filter = {}, cursor, limit = SHARE_LIST_PAGE_SIZE }: ListSharesOptions = {}): Promise<ShareListPage> {
  const now = new Date();
  const take = Math.min(Math.max(1, limit), MAX_SHARE_LIST_PAGE_SIZE);
  const rows = await prisma.share.findMany({
    where: { AND: [managedSharesWhere(actor, filter, now), afterCursor(cursor)] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
    select: listedShareSelect,
  });
  const page = rows.slice(0, take);
  return {
    shares: page.map(({ conversation, user, createdByBot, ...row }) => ({
      ...toOwnerShare(row, now),
      conversationTitle: conversation.title,
      botId: conversation.bot.id,
      botName: conversation.bot.name,
      creatorName: user?.name ?? createdByBot?.name ?? null,
    })),
    nextCursor: rows.length > take ? encodeCursor(page[page.length - 1]) : null,
  };
}
