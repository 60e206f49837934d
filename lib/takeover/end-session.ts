import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { lockConversation } from "@/lib/conversations/lock";
import { env } from "@/lib/env";
import { publishConversationEvent } from "@/lib/events/publish";
import type { Prisma, TakeoverEndReason } from "@/lib/generated/prisma/client";
import { afterTakeoverEndedUnchecked } from "@/lib/inbox/takeover-hooks";
import { appendMessage } from "@/lib/messages/append";

// How a takeover session ends, whoever ends it: the operator's hand back, the owner revoking the
// link, or time (an auto link's expiry, a silent operator) applied by the sweeper or on a read.

const END_MESSAGES: Record<TakeoverEndReason, string> = {
  HANDED_BACK: "Control returned to the bot",
  EXPIRED: "Control returned to the bot: the link expired",
  REVOKED: "Control returned to the bot: the link was revoked",
  STALE: "Control returned to the bot: the operator was inactive",
  ENDED_BY_OWNER: "Control returned to the bot: the session was ended by an owner",
};

/** How long an operator may stay silent before control returns to the bot (TAKEOVER_STALE_MINUTES). */
function staleAfterMs(): number {
  return env.TAKEOVER_STALE_MINUTES * 60_000;
}

function staleCutoff(now: Date): Date {
  return new Date(now.getTime() - staleAfterMs());
}

/**
 * The sessions that time or the owner has ended but that are still open: their AUTO link
 * expired, their link was revoked, or their operator went silent. With a conversation id, only
 * that conversation's.
 */
export function dueSessionWhere(now: Date, conversationId?: string): Prisma.TakeoverSessionWhereInput {
  return {
    ...(conversationId ? { conversationId } : {}),
    endedAt: null,
    OR: [
      { share: { is: { mode: "AUTO", expiresAt: { lte: now } } } },
      { share: { is: { revokedAt: { not: null } } } },
      { lastActivityAt: { lt: staleCutoff(now) } },
    ],
  };
}

/** The same condition for one reason, re-checked under the lock so a late change wins. */
function stillDueWhere(reason: TakeoverEndReason, now: Date): Prisma.TakeoverSessionWhereInput {
  switch (reason) {
    case "EXPIRED":
      return { share: { is: { mode: "AUTO", expiresAt: { lte: now } } } };
    case "REVOKED":
      return { share: { is: { revokedAt: { not: null } } } };
    case "STALE":
      return { lastActivityAt: { lt: staleCutoff(now) } };
    case "HANDED_BACK":
    case "ENDED_BY_OWNER":
      return {};
  }
}

export const dueSessionSelect = {
  id: true,
  lastActivityAt: true,
  share: { select: { mode: true, expiresAt: true, revokedAt: true } },
} satisfies Prisma.TakeoverSessionSelect;

type DueSession = Prisma.TakeoverSessionGetPayload<{ select: typeof dueSessionSelect }>;

/** Why a due session ends: whichever cause came first (a link may have expired before it was revoked). */
export function dueReason(session: DueSession, now: Date): TakeoverEndReason {
  const share = session.share;
  const causes: [TakeoverEndReason, number][] = [];
  if (share?.revokedAt) causes.push(["REVOKED", share.revokedAt.getTime()]);
  if (share?.mode === "AUTO" && share.expiresAt && share.expiresAt <= now) causes.push(["EXPIRED", share.expiresAt.getTime()]);
  const staleAt = session.lastActivityAt.getTime() + staleAfterMs();
  if (staleAt < now.getTime()) causes.push(["STALE", staleAt]);
  causes.sort((a, b) => a[1] - b[1]);
  return causes[0]?.[0] ?? "STALE";
}

/**
 * Ends one takeover session and returns control to the bot. Authorizes nothing: its callers have
 * (the operator's own session, a share its owner revokes) or are the system applying what time decided: a system message saying why, a
 * control event for live pages and an audit event. Conditional on the session still being open
 * (and, for time-based reasons, still due), so concurrent callers end it exactly once; returns
 * whether this call ended it.
 */
export async function endTakeoverSessionUnchecked(
  tx: Prisma.TransactionClient,
  /** Who ends it, as History names them: the operator, the owner who revoked the link, the system. */
  by: Actor,
  sessionId: string,
  reason: TakeoverEndReason,
  now = new Date(),
): Promise<boolean> {
  const session = await tx.takeoverSession.findUnique({
    where: { id: sessionId },
    select: {
      conversationId: true,
      shareId: true,
      operatorName: true,
      conversation: { select: { bot: { select: { organizationId: true } } } },
    },
  });
  if (!session) return false;
  // Lock before the conditional update: every control change of a conversation runs one at a time.
  await lockConversation(tx, session.conversationId);
  const { count } = await tx.takeoverSession.updateMany({
    where: { id: sessionId, endedAt: null, ...stillDueWhere(reason, now) },
    data: { endedAt: now, endReason: reason },
  });
  if (count === 0) return false;

  await tx.conversation.updateMany({
    where: { id: session.conversationId, controller: "OPERATOR" },
    data: { controller: "BOT" },
  });
  await appendMessage(tx, { conversationId: session.conversationId, role: "SYSTEM", text: END_MESSAGES[reason] });
  await publishConversationEvent(tx, session.conversationId, { type: "control", controller: "BOT", operatorName: null, sessionId: null });
  await recordAuditEvent(tx, {
    organizationId: session.conversation.bot.organizationId,
    conversationId: session.conversationId,
    shareId: session.shareId ?? undefined,
    actor: auditActorOf(by, reason === "HANDED_BACK" ? session.operatorName : undefined),
    action: "takeover.ended",
    data: { sessionId, reason, operatorName: session.operatorName },
  });
  await afterTakeoverEndedUnchecked(tx, sessionId);
  return true;
}

/**
 * Ends the open sessions taken over through a share, inside the caller's transaction, which has
 * authorized the change (the share's revocation by its owner). Returns how many it ended.
 */
export async function endShareSessionsUnchecked(
  tx: Prisma.TransactionClient,
  by: Actor,
  shareId: string,
  reason: "REVOKED" | "EXPIRED",
  now = new Date(),
): Promise<number> {
  const share = await tx.share.findUnique({ where: { id: shareId }, select: { conversationId: true } });
  if (!share) return 0;
  // Lock first, then look: a takeover committing meanwhile is seen once the lock is ours.
  await lockConversation(tx, share.conversationId);
  const open = await tx.takeoverSession.findMany({ where: { shareId, endedAt: null }, select: { id: true } });
  let ended = 0;
  for (const session of open) {
    if (await endTakeoverSessionUnchecked(tx, by, session.id, reason, now)) ended += 1;
  }
  return ended;
}
