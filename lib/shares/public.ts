import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { MessageFilter } from "@/lib/conversations/queries";
import { prisma } from "@/lib/db";
import type { ShareMode, ShareType } from "@/lib/generated/prisma/client";
import { canViewShare } from "@/lib/shares/policy";
import { SHARE_PUBLIC_ID_PATTERN } from "@/lib/shares/public-id";
import { activeShareWhere } from "@/lib/shares/status";

/**
 * What the public page may show. Built field by field for viewers: nothing about the owner,
 * the bot's configuration, tokens, variables or other conversations.
 */
export type PublicShareView = {
  publicId: string;
  title: string;
  description: string | null;
  channel: string;
  shareType: ShareType;
  mode: ShareMode;
  takeOverOnOpen: boolean;
  messageCount: number;
  createdAt: string;
  updatedAt: string;
};

/** Server-side only: how to fetch the share's messages and files. Never sent to the browser. */
export type ShareAccess = { shareId: string; filter: MessageFilter };

/**
 * Opens a share for a viewer, or null when the link is unknown, revoked, expired or not permitted
 * to this viewer. Every "no" is the same null, so the page cannot tell them apart.
 */
export async function openShare(
  publicId: string,
  viewer: Actor,
): Promise<{ view: PublicShareView; access: ShareAccess } | null> {
  if (!SHARE_PUBLIC_ID_PATTERN.test(publicId)) return null;
  const share = await prisma.share.findUnique({
    where: { publicId },
    select: {
      id: true,
      publicId: true,
      userId: true,
      mode: true,
      shareType: true,
      visibility: true,
      takeOverOnOpen: true,
      customTitle: true,
      customDescription: true,
      revokedAt: true,
      expiresAt: true,
      _count: { select: { messages: true } },
      conversation: {
        select: {
          id: true,
          title: true,
          channel: true,
          messageCount: true,
          createdAt: true,
          updatedAt: true,
          bot: { select: { organizationId: true } },
        },
      },
    },
  });
  if (!share) return null;
  const { conversation } = share;
  if (!canViewShare(viewer, { ...share, organizationId: conversation.bot.organizationId })) return null;
  const partial = share.shareType === "PARTIAL";
  return {
    view: {
      publicId: share.publicId,
      title: share.customTitle ?? conversation.title,
      description: share.customDescription,
      channel: conversation.channel,
      shareType: share.shareType,
      mode: share.mode,
      takeOverOnOpen: share.takeOverOnOpen,
      messageCount: partial ? share._count.messages : conversation.messageCount,
      createdAt: conversation.createdAt.toISOString(),
      updatedAt: conversation.updatedAt.toISOString(),
    },
    access: {
      shareId: share.id,
      filter: { conversationId: conversation.id, ...(partial ? { partialShareId: share.id } : {}) },
    },
  };
}

/** Counts one view of an active share. */
export async function recordShareView(access: ShareAccess, now = new Date()) {
  await prisma.share.updateMany({
    where: { id: access.shareId, ...activeShareWhere(now) },
    data: { viewCount: { increment: 1 }, lastViewedAt: now },
  });
}
