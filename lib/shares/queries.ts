import "server-only";
import type { Actor, UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { assertConversationPermission, conversationScope } from "@/lib/conversations/policy";
import { activeShareWhere, shareStatus, type ShareStatus } from "@/lib/shares/status";
import { shareUrl } from "@/lib/shares/url";

export const ownerShareSelect = {
  id: true,
  publicId: true,
  conversationId: true,
  userId: true,
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

/** The newest active share of a conversation the actor may read, or null. */
export async function findActiveShare(actor: Actor, conversationId: string): Promise<OwnerShare | null> {
  const now = new Date();
  const row = await prisma.share.findFirst({
    where: { conversationId, conversation: conversationScope(actor, "read"), ...activeShareWhere(now) },
    orderBy: { createdAt: "desc" },
    select: ownerShareSelect,
  });
  return row ? toOwnerShare(row, now) : null;
}

/** Every share of a conversation, newest first, for a member allowed to manage them. */
export async function listConversationShares(actor: UserActor, conversationId: string) {
  const rows = await prisma.share.findMany({
    where: { conversationId, conversation: conversationScope(actor, "share") },
    orderBy: { createdAt: "desc" },
    select: ownerShareSelect,
  });
  return rows.map((row) => toOwnerShare(row));
}

/** Loads a share for a change by its owner; 404 for anyone who may not read its conversation. */
export async function loadShareForManagement(tx: Prisma.TransactionClient, actor: UserActor, shareId: string) {
  const row = await tx.share.findFirst({
    where: { id: shareId, conversation: conversationScope(actor, "read") },
    select: { ...ownerShareSelect, conversation: { select: { bot: { select: { organizationId: true } } } } },
  });
  if (!row) return null;
  assertConversationPermission(actor, row.conversation.bot.organizationId, "share");
  const { conversation, ...share } = row;
  return { share, organizationId: conversation.bot.organizationId };
}
