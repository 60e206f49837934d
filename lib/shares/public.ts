import "server-only";
import type { AnonymousActor, ShareLinkActor, UserActor } from "@/lib/auth/actor";
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

/**
 * Opens a share for a viewer, or null when the link is unknown, revoked, expired or not permitted
 * to this viewer. Every "no" is the same null, so the page cannot tell them apart. The `actor` is
 * the share link acting for this viewer (server-side only, never sent to the browser): the
 * conversation queries and takeover mutations authorize it like any other caller.
 */
export async function openShare(
  publicId: string,
  viewer: UserActor | AnonymousActor,
): Promise<{ view: PublicShareView; actor: ShareLinkActor } | null> {
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
    actor: {
      kind: "share_link",
      shareId: share.id,
      conversationId: conversation.id,
      organizationId: conversation.bot.organizationId,
      mode: share.mode,
      visibility: share.visibility,
      partial,
      viewer,
    },
  };
}

/** Counts one view of an active share, by the link's own actor. */
export async function recordShareView(actor: ShareLinkActor, now = new Date()) {
  await prisma.share.updateMany({
    where: { id: actor.shareId, ...activeShareWhere(now) },
    data: { viewCount: { increment: 1 }, lastViewedAt: now },
  });
}
