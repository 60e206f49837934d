import "server-only";
import { announceAccessChange } from "@/lib/events/fanout";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { authorizeConversation, organizationIdsFor } from "@/lib/conversations/policy";
import { lockConversation } from "@/lib/conversations/lock";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { managedSharesWhere } from "@/lib/shares/list";
import { newSharePublicId } from "@/lib/shares/public-id";
import {
  findShareForManagement,
  ownerShareSelect,
  toOwnerShare,
  type OwnerShare,
} from "@/lib/shares/queries";
import { createShareSchema, shareListFilterSchema, shareSettingsSchema, type CreateShareInput, type ShareSettings } from "@/lib/shares/schemas";
import { activeShareWhere } from "@/lib/shares/status";
import { endShareSessionsUnchecked } from "@/lib/takeover/end-session";
import { idSchema } from "@/lib/http";
import { parseOrThrow } from "@/lib/validation";

const HOUR_MS = 60 * 60 * 1000;

function expiresAtFor(validityHours: number | null, now: Date): Date | null {
  return validityHours === null ? null : new Date(now.getTime() + validityHours * HOUR_MS);
}

/** Throws 422 unless every id names a message of this conversation. */
async function assertMessagesInConversation(
  tx: Prisma.TransactionClient,
  conversationId: string,
  messageIds: string[],
) {
  if (messageIds.length === 0) return;
  const found = await tx.message.count({ where: { conversationId, id: { in: messageIds } } });
  if (found !== messageIds.length) {
    throw new AppError("unprocessable", "Some chosen messages are not in this conversation.", {
      messageIds: ["Some chosen messages are not in this conversation."],
    });
  }
}

function partialMessageIds(settings: ShareSettings): string[] {
  return settings.shareType === "PARTIAL" ? [...new Set(settings.messageIds)].sort() : [];
}

function sameSettings(share: OwnerShare, settings: ShareSettings, messageIds: string[]): boolean {
  return (
    share.mode === settings.mode &&
    share.shareType === settings.shareType &&
    share.visibility === settings.visibility &&
    share.allowContinuation === settings.allowContinuation &&
    share.takeOverOnOpen === settings.takeOverOnOpen &&
    share.validityHours === settings.validityHours &&
    share.customTitle === settings.customTitle &&
    share.customDescription === settings.customDescription &&
    [...share.messageIds].sort().join(",") === messageIds.join(",")
  );
}

/** A share's columns for its settings, as created or changed (the partial share's messages included). */
function settingsColumns(settings: ShareSettings, messageIds: string[], expiresAt: Date | null) {
  return {
    mode: settings.mode,
    shareType: settings.shareType,
    visibility: settings.visibility,
    allowContinuation: settings.allowContinuation,
    takeOverOnOpen: settings.takeOverOnOpen,
    validityHours: settings.validityHours,
    expiresAt,
    customTitle: settings.customTitle,
    customDescription: settings.customDescription,
    messages: { createMany: { data: messageIds.map((messageId) => ({ messageId })) } },
  };
}

/** How createShare treats an active share with the same settings that it returns instead of a new one. */
export type CreateShareOptions = {
  /**
   * Push the reused share's expiry to at least now + its validity (never earlier), so the
   * validity holds from this call: the compatible endpoint promises a `/24` link 24 hours from
   * the request, not from the first request that minted it. Recorded as `share.extended`.
   */
  extendReused?: boolean;
};

/**
 * Shares a conversation. Without `regenerate`, an active share with the same settings is
 * returned instead of a new one (`reused: true`); with it, a new id is always minted.
 */
export async function createShare(
  actor: Actor,
  input: CreateShareInput,
  options: CreateShareOptions = {},
): Promise<{ share: OwnerShare; reused: boolean }> {
  return prisma.$transaction((tx) => createShareInTransaction(tx, actor, input, options));
}

/** Who a new share records as its creator: the member, or the bot whose token or flow made it. */
function creatorColumns(actor: Actor) {
  switch (actor.kind) {
    case "user":
      return { userId: actor.userId, createdByTokenId: actor.tokenId ?? null };
    case "bot_token":
      return { createdByBotId: actor.botId, createdByTokenId: actor.tokenId };
    case "flow":
      return { createdByBotId: actor.botId };
    default:
      // authorizeConversation lets no other kind of actor share.
      throw new AppError("not_found", "Conversation not found.");
  }
}

/**
 * createShare inside the caller's transaction: a bot flow shares the conversation in the same
 * transaction that stores the contact's message, which already holds the conversation's lock
 * (a second transaction would wait on it forever).
 */
export async function createShareInTransaction(
  tx: Prisma.TransactionClient,
  actor: Actor,
  input: CreateShareInput,
  options: CreateShareOptions = {},
): Promise<{ share: OwnerShare; reused: boolean }> {
  const { conversationId, regenerate, settings } = parseOrThrow(createShareSchema, input);
  const { organizationId } = await authorizeConversation(tx, actor, conversationId, "share");
  const messageIds = partialMessageIds(settings);

  await lockConversation(tx, conversationId);
  await assertMessagesInConversation(tx, conversationId, messageIds);
  const now = new Date();
  if (!regenerate) {
    const active = await tx.share.findMany({
      where: { conversationId, ...activeShareWhere(now) },
      orderBy: { createdAt: "desc" },
      select: ownerShareSelect,
    });
    const same = active.map((row) => toOwnerShare(row, now)).find((share) => sameSettings(share, settings, messageIds));
    if (same) {
      const share = options.extendReused ? await extendShareInTransaction(tx, actor, organizationId, same, now) : same;
      return { share, reused: true };
    }
  }
  const row = await tx.share.create({
    data: {
      publicId: newSharePublicId(),
      conversationId,
      ...creatorColumns(actor),
      ...settingsColumns(settings, messageIds, expiresAtFor(settings.validityHours, now)),
    },
    select: ownerShareSelect,
  });
  await recordAuditEvent(tx, {
    organizationId,
    conversationId,
    shareId: row.id,
    actor: auditActorOf(actor),
    action: "share.created",
    data: { mode: row.mode, shareType: row.shareType, visibility: row.visibility, validityHours: row.validityHours },
  });
  return { share: toOwnerShare(row, now), reused: false };
}

/**
 * Moves an active share's expiry to now + its validity when that is later; an earlier or equal
 * one, and a share that never expires, stay as they are. The caller has authorized the actor and
 * holds the conversation's lock.
 */
async function extendShareInTransaction(
  tx: Prisma.TransactionClient,
  actor: Actor,
  organizationId: string,
  share: OwnerShare,
  now: Date,
): Promise<OwnerShare> {
  const expiresAt = expiresAtFor(share.validityHours, now);
  if (expiresAt === null || share.expiresAt === null || expiresAt.getTime() <= share.expiresAt.getTime()) return share;
  // Conditional: revokeShare does not take the conversation's lock, so a revoke that lands in
  // between wins and is not undone; the caller then gets the share as it now is.
  const { count } = await tx.share.updateMany({
    where: { id: share.id, revokedAt: null, expiresAt: share.expiresAt },
    data: { expiresAt },
  });
  if (count === 1) {
    await recordAuditEvent(tx, {
      organizationId,
      conversationId: share.conversationId,
      shareId: share.id,
      actor: auditActorOf(actor),
      action: "share.extended",
      data: { from: share.expiresAt.toISOString(), to: expiresAt.toISOString() },
    });
  }
  const row = await tx.share.findUniqueOrThrow({ where: { id: share.id }, select: ownerShareSelect });
  return toOwnerShare(row, now);
}

export const updateShareSchema = z.object({
  shareId: idSchema,
  settings: shareSettingsSchema,
});

/**
 * Changes an active share's settings in place (same link). A changed validity counts from now.
 */
export async function updateShare(actor: Actor, input: z.input<typeof updateShareSchema>): Promise<OwnerShare> {
  const { shareId, settings } = parseOrThrow(updateShareSchema, input);
  const messageIds = partialMessageIds(settings);
  return prisma.$transaction(async (tx) => {
    const { share, organizationId } = await findShareForManagement(tx, actor, { id: shareId });
    await lockConversation(tx, share.conversationId);
    const now = new Date();
    const current = toOwnerShare(share, now);
    if (current.status !== "active") throw new AppError("conflict", `This link is ${current.status}; create a new one.`);
    await assertMessagesInConversation(tx, share.conversationId, messageIds);
    await tx.shareMessage.deleteMany({ where: { shareId } });
    const row = await tx.share.update({
      where: { id: shareId },
      data: {
        // An unchanged validity keeps its expiry; a new one counts from now.
        ...settingsColumns(
          settings,
          messageIds,
          settings.validityHours === share.validityHours ? share.expiresAt : expiresAtFor(settings.validityHours, now),
        ),
      },
      select: ownerShareSelect,
    });
    await recordAuditEvent(tx, {
      organizationId,
      conversationId: share.conversationId,
      shareId,
      actor: auditActorOf(actor),
      action: "share.updated",
      data: { mode: row.mode, shareType: row.shareType, visibility: row.visibility, validityHours: row.validityHours },
    });
    // Streams opened under the old settings (a visibility narrowed) check again now.
    await announceAccessChange(tx, share.conversationId);
    return toOwnerShare(row, now);
  });
}

export const revokeShareSchema = z.object({ shareId: idSchema });

/** Marks one share revoked unless it already is; audits it and ends its takeovers. Returns whether this call revoked it. */
async function revokeOneUnchecked(
  tx: Prisma.TransactionClient,
  actor: Actor,
  share: { id: string; conversationId: string; organizationId: string },
  now: Date,
): Promise<boolean> {
  // Conversation before share, as every share change takes them, so racing revokes never deadlock.
  await lockConversation(tx, share.conversationId);
  const { count } = await tx.share.updateMany({ where: { id: share.id, revokedAt: null }, data: { revokedAt: now } });
  if (count === 0) return false;
  await recordAuditEvent(tx, {
    organizationId: share.organizationId,
    conversationId: share.conversationId,
    shareId: share.id,
    actor: auditActorOf(actor),
    action: "share.revoked",
  });
  await endShareSessionsUnchecked(tx, actor, share.id, "REVOKED", now);
  // Open streams of the link end now, not at the conversation's next message.
  await announceAccessChange(tx, share.conversationId);
  return true;
}

/**
 * Revokes a share for good: its id answers 404 from now on and is never reused, and a takeover
 * made through it ends. Idempotent.
 */
export async function revokeShare(actor: Actor, input: z.input<typeof revokeShareSchema>): Promise<OwnerShare> {
  const { shareId } = parseOrThrow(revokeShareSchema, input);
  return prisma.$transaction(async (tx) => {
    const { share, organizationId } = await findShareForManagement(tx, actor, { id: shareId });
    const now = new Date();
    await revokeOneUnchecked(tx, actor, { id: shareId, conversationId: share.conversationId, organizationId }, now);
    const row = await tx.share.findUniqueOrThrow({ where: { id: shareId }, select: ownerShareSelect });
    return toOwnerShare(row, now);
  });
}

// Revoking every link of an organization may take a while, and may queue behind other changes.
const BULK_REVOKE_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 120_000 };

/** Most links one bulk revoke names; "all matching" has no limit. */
export const MAX_BULK_REVOKE = 500;

export const revokeSharesSchema = z.union([
  z.object({ shareIds: z.array(idSchema).min(1, "Select at least one link.").max(MAX_BULK_REVOKE) }),
  z.object({ filter: shareListFilterSchema }),
]);

/**
 * Revokes several active shares at once: the selected ones (`shareIds`, all of which the actor
 * must manage, or nothing changes) or every one matching a links-page filter. Each is revoked
 * like revokeShare (audited, its takeovers ended) exactly once, even when two calls race.
 * Returns how many this call revoked.
 */
export async function revokeShares(actor: Actor, input: z.input<typeof revokeSharesSchema>): Promise<{ revoked: number }> {
  const parsed = parseOrThrow(revokeSharesSchema, input);
  if (actor.kind === "user" && organizationIdsFor(actor, "share").length === 0) {
    throw new AppError(actor.memberships.length > 0 ? "forbidden" : "not_found", "Your role does not allow this.");
  }
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const scope = managedSharesWhere(actor, "filter" in parsed ? parsed.filter : {}, now);
    const where: Prisma.ShareWhereInput = "shareIds" in parsed ? { AND: [scope, { id: { in: parsed.shareIds } }] } : scope;
    const targets = await tx.share.findMany({
      where: { AND: [where, activeShareWhere(now)] },
      // Locked in this order by every bulk revoke, so two that overlap never deadlock.
      orderBy: [{ conversationId: "asc" }, { id: "asc" }],
      select: { id: true, conversationId: true, conversation: { select: { bot: { select: { organizationId: true } } } } },
    });
    if ("shareIds" in parsed) {
      const managed = await tx.share.count({ where });
      if (managed !== new Set(parsed.shareIds).size) throw new AppError("not_found", "Some selected links were not found.");
    }
    let revoked = 0;
    for (const target of targets) {
      const share = { id: target.id, conversationId: target.conversationId, organizationId: target.conversation.bot.organizationId };
      if (await revokeOneUnchecked(tx, actor, share, now)) revoked += 1;
    }
    return { revoked };
  }, BULK_REVOKE_TRANSACTION_OPTIONS);
}
