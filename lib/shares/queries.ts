import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { authorizeConversation, conversationScope } from "@/lib/conversations/policy";
import { activeShareWhere, shareStatus, type ShareStatus } from "@/lib/shares/status";
import { shareUrl } from "@/lib/shares/url";

export const ownerShareSelect = {
  id: true,
  publicId: true,
  conversationId: true,
  userId: true,
  createdByBotId: true,
  mode: true,
  shareType: true,
  visibility: true,
  allowContinuation: true,
  takeOverOnOpen: true,
  validityHours: true,
  customTitle: true,
  customDescription: true,
  viewCount: true,
  continuationCount: true,
  lastViewedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
  updatedAt: true,
  messages: { select: { messageId: true } },
} satisfies Prisma.ShareSelect;

type OwnerShareRow = Prisma.ShareGetPayload<{ select: typeof ownerShareSelect }>;

/** A share as its owner sees it (in the modal and over the API). */
export type OwnerShare = Omit<OwnerShareRow, "messages"> & {
  url: string;
  status: ShareStatus;
  messageIds: string[];
};

export function toOwnerShare(row: OwnerShareRow, now = new Date()): OwnerShare {
  const { messages, ...share } = row;
  return {
    ...share,
    url: shareUrl(share.publicId),
    status: shareStatus(share, now),
    messageIds: messages.map((message) => message.messageId),
  };
}

/** The newest active share of a conversation the actor may share, or null. */
export async function findActiveShare(actor: Actor, conversationId: string): Promise<OwnerShare | null> {
  const now = new Date();
  const row = await prisma.share.findFirst({
    where: { conversationId, conversation: conversationScope(actor, "share"), ...activeShareWhere(now) },
    orderBy: { createdAt: "desc" },
    select: ownerShareSelect,
  });
  return row ? toOwnerShare(row, now) : null;
}

/**
 * A share by its internal id or its public id, for a caller allowed to manage it: anyone else
 * (another organization, another bot's token, a link) gets the same "not found" as for an
 * unknown id; a member who reads the conversation but may not share gets "forbidden".
 */
export async function findShareForManagement(
  db: Prisma.TransactionClient,
  actor: Actor,
  where: { id: string } | { publicId: string },
) {
  const row = await db.share.findFirst({ where: { ...where, conversation: conversationScope(actor, "read") }, select: ownerShareSelect });
  if (!row) throw new AppError("not_found", "Share not found.");
  const conversation = await authorizeConversation(db, actor, row.conversationId, "share").catch((error: unknown) => {
    throw error instanceof AppError && error.code === "not_found" ? new AppError("not_found", "Share not found.") : error;
  });
  return { share: row, organizationId: conversation.organizationId };
}

/** One share by its public id, as its manager sees it (the v1 API); "not found" for anyone else. */
export async function getManagedShare(actor: Actor, publicId: string): Promise<OwnerShare> {
  const { share } = await findShareForManagement(prisma, actor, { publicId });
  return toOwnerShare(share);
}
