import "server-only";
import type { AnonymousActor, ShareLinkActor, UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { ShareMode, ShareType, ShareVisibility } from "@/lib/generated/prisma/client";
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
  /**
   * Where "Continue this conversation" posts (the bot's public web chat), or null when the link
   * does not allow it. The viewer goes on in that chat, so its address is no secret from them.
   */
  continueUrl: string | null;
  messageCount: number;
  createdAt: string;
  /** The last message's time: what the owner's list and header show as the conversation's last activity. */
  updatedAt: string;
};

/** What openShare reads of a share, its conversation and bot, in one statement. */
type ShareRow = {
  id: string;
  publicId: string;
  userId: string | null;
  mode: ShareMode;
  shareType: ShareType;
  visibility: ShareVisibility;
  takeOverOnOpen: boolean;
  allowContinuation: boolean;
  customTitle: string | null;
  customDescription: string | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  partialMessageCount: number;
  conversationId: string;
  botId: string;
  title: string;
  channel: string;
  messageCount: number;
  createdAt: Date;
  updatedAt: Date;
  organizationId: string;
  organizationPublicName: string | null;
  conversationUpdatedAt: Date;
  takeOverOnOpenUsedAt: Date | null;
  lastEventId: bigint | null;
};

/**
 * Everything the page shows of the share and its conversation changes one of these: the row's
 * settings and counts, the conversation's own row (title, control, read state), its newest
 * event (messages, files, control) and the organization's public name (the page's footer). The share page cache (lib/shares/page-cache.ts) keys on it.
 * Not the view count: a view must not make the next viewer's page a miss.
 */
function stateOf(row: ShareRow): string {
  return JSON.stringify([
    row.id,
    row.mode,
    row.shareType,
    row.visibility,
    row.takeOverOnOpen,
    row.takeOverOnOpenUsedAt?.getTime() ?? null,
    row.allowContinuation,
    row.customTitle,
    row.customDescription,
    row.expiresAt?.getTime() ?? null,
    row.partialMessageCount,
    row.botId,
    row.title,
    row.messageCount,
    row.updatedAt.getTime(),
    row.conversationUpdatedAt.getTime(),
    row.lastEventId?.toString() ?? null,
    row.organizationPublicName,
  ]);
}

/** What openShare reads of the link, whoever the viewer. */
async function readShareRow(publicId: string): Promise<ShareRow | undefined> {
  // One statement, whatever the outcome: an unknown id and a revoked, expired or not-permitted
  // one take the same path and the same time (Prisma's nested select would run two more
  // statements for a link that exists, telling them apart by timing).
  const [row] = await prisma.$queryRaw<ShareRow[]>`
    SELECT s."id", s."publicId", s."userId", s."mode"::text AS "mode", s."shareType"::text AS "shareType",
           s."visibility"::text AS "visibility", s."takeOverOnOpen", s."allowContinuation", s."customTitle", s."customDescription",
           s."revokedAt", s."expiresAt", s."takeOverOnOpenUsedAt",
           (SELECT count(*)::int FROM "ShareMessage" m WHERE m."shareId" = s."id") AS "partialMessageCount",
           c."id" AS "conversationId", c."botId", c."title", c."channel", c."messageCount", c."createdAt",
           c."lastMessageAt" AS "updatedAt", c."updatedAt" AS "conversationUpdatedAt",
           (SELECT max(e."id") FROM "ConversationEvent" e WHERE e."conversationId" = c."id") AS "lastEventId",
           b."organizationId", o."publicName" AS "organizationPublicName"
    FROM "Share" s
    JOIN "Conversation" c ON c."id" = s."conversationId"
    JOIN "Bot" b ON b."id" = c."botId"
    JOIN "Organization" o ON o."id" = b."organizationId"
    WHERE s."publicId" = ${publicId}`;
  return row;
}

// Reads of a link under way, for callers that may join one (see OpenShareOptions). Per process, on
// globalThis: Next may load this module in more than one bundle.
const globalForShares = globalThis as unknown as { switchboardShareReads?: Map<string, Promise<ShareRow | undefined>> };
const readsUnderWay = (globalForShares.switchboardShareReads ??= new Map());

function joinShareRead(publicId: string): Promise<ShareRow | undefined> {
  let reading = readsUnderWay.get(publicId);
  if (!reading) {
    const underWay = (reading = readShareRow(publicId));
    readsUnderWay.set(publicId, underWay);
    const done = () => {
      if (readsUnderWay.get(publicId) === underWay) readsUnderWay.delete(publicId);
    };
    underWay.then(done, done);
  }
  return reading;
}

/** How openShare reads the link. */
export type OpenShareOptions = {
  /**
   * Join a read of the same link already under way instead of starting one: a thousand live
   * streams opening at once cost a few reads, not a thousand. The joined read may have started
   * just before a revocation committed, so only a caller that checks access again afterwards may
   * ask for it (a share's live stream checks on its first read and on every wake-up).
   */
  joinReadUnderWay?: boolean;
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
  { joinReadUnderWay = false }: OpenShareOptions = {},
): Promise<{ view: PublicShareView; actor: ShareLinkActor; state: string } | null> {
  if (!SHARE_PUBLIC_ID_PATTERN.test(publicId)) return null;
  const row = await (joinReadUnderWay ? joinShareRead(publicId) : readShareRow(publicId));
  if (!row || !canViewShare(viewer, row)) return null;
  const partial = row.shareType === "PARTIAL";
  return {
    view: {
      publicId: row.publicId,
      title: row.customTitle ?? row.title,
      description: row.customDescription,
      channel: row.channel,
      shareType: row.shareType,
      mode: row.mode,
      takeOverOnOpen: row.takeOverOnOpen,
      continueUrl: row.allowContinuation ? `/chat/${row.botId}/continue` : null,
      messageCount: partial ? row.partialMessageCount : row.messageCount,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    },
    actor: {
      kind: "share_link",
      shareId: row.id,
      conversationId: row.conversationId,
      organizationId: row.organizationId,
      mode: row.mode,
      visibility: row.visibility,
      partial,
      viewer,
    },
    state: stateOf(row),
  };
}

/** Counts one view of an active share, by the link's own actor. */
export async function recordShareView(actor: ShareLinkActor, now = new Date()) {
  await prisma.share.updateMany({
    where: { id: actor.shareId, ...activeShareWhere(now) },
    data: { viewCount: { increment: 1 }, lastViewedAt: now },
  });
}
