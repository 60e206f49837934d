import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { MessageView } from "@/lib/conversations/message-view";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { lockConversation } from "@/lib/conversations/lock";
import { publishConversationEvent } from "@/lib/events/publish";
import type { Prisma, TakeoverEndReason } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";
import { activeSessionWhere, hashTakeoverSecret } from "@/lib/takeover/queries";
import { deliverInBackground } from "@/lib/webhooks/deliver";
import { enqueueOperatorMessageDelivery } from "@/lib/webhooks/mutations";
import { parseOrThrow } from "@/lib/validation";

/** Who takes over: a signed-in member (userId) or an anonymous visitor of a share link. */
export type OperatorIdentity = {
  userId: string | null;
  /** Display name only (never an email): other operators and viewers see it. */
  name: string;
};

const SESSION_ENDED = "Your takeover session has ended.";

const END_MESSAGES: Record<TakeoverEndReason, string> = {
  HANDED_BACK: "Control returned to the bot",
  EXPIRED: "Control returned to the bot: the link expired",
  REVOKED: "Control returned to the bot: the link was revoked",
  STALE: "Control returned to the bot: the operator was inactive",
};

const SYSTEM_ACTOR: AuditActor = { type: "system", name: "Switchboard" };

// Many operators may click at once; they queue on the conversation's row lock, so give each
// transaction room to wait its turn instead of failing on Prisma's 2 s / 5 s defaults.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

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
function dueSessionWhere(now: Date, conversationId?: string): Prisma.TakeoverSessionWhereInput {
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
      return {};
  }
}

const dueSessionSelect = {
  id: true,
  lastActivityAt: true,
  share: { select: { mode: true, expiresAt: true, revokedAt: true } },
} satisfies Prisma.TakeoverSessionSelect;

type DueSession = Prisma.TakeoverSessionGetPayload<{ select: typeof dueSessionSelect }>;

/** Why a due session ends: whichever cause came first (a link may have expired before it was revoked). */
function dueReason(session: DueSession, now: Date): TakeoverEndReason {
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
 * Ends one takeover session and returns control to the bot: a system message saying why, a
 * control event for live pages and an audit event. Conditional on the session still being open
 * (and, for time-based reasons, still due), so concurrent callers end it exactly once; returns
 * whether this call ended it.
 */
export async function endTakeoverSession(
  tx: Prisma.TransactionClient,
  sessionId: string,
  reason: TakeoverEndReason,
  now = new Date(),
): Promise<boolean> {
  const session = await tx.takeoverSession.findUnique({
    where: { id: sessionId },
    select: {
      conversationId: true,
      shareId: true,
      operatorUserId: true,
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
  await publishConversationEvent(tx, session.conversationId, { type: "control", controller: "BOT", operatorName: null });
  await recordAuditEvent(tx, {
    organizationId: session.conversation.bot.organizationId,
    conversationId: session.conversationId,
    shareId: session.shareId ?? undefined,
    actor: reason === "HANDED_BACK" ? operatorActor(session.operatorUserId, session.operatorName) : SYSTEM_ACTOR,
    action: "takeover.ended",
    data: { sessionId, reason, operatorName: session.operatorName },
  });
  return true;
}

function operatorActor(userId: string | null, name: string): AuditActor {
  return userId ? { type: "user", userId, name } : { type: "share", name };
}

/** Ends this conversation's due sessions inside the caller's transaction. */
async function settleInTransaction(tx: Prisma.TransactionClient, conversationId: string, now: Date): Promise<number> {
  const due = await tx.takeoverSession.findMany({ where: dueSessionWhere(now, conversationId), select: dueSessionSelect });
  let ended = 0;
  for (const session of due) {
    if (await endTakeoverSession(tx, session.id, dueReason(session, now), now)) ended += 1;
  }
  return ended;
}

const operatorSchema = z.object({
  userId: z.string().min(1).nullable(),
  name: z.string().trim().min(1, "Enter a name.").max(60, "Use at most 60 characters."),
});

/**
 * Takes the conversation over for an operator. Exactly one of any number of concurrent callers
 * (in any number of app instances) wins: the others get a conflict naming the holder. Returns the
 * session's secret, which only the winner's browser keeps (the database stores its hash).
 */
export async function takeOverConversation(input: {
  conversationId: string;
  operator: OperatorIdentity;
  shareId?: string | null;
}): Promise<{ sessionId: string; secret: string }> {
  const operator = parseOrThrow(operatorSchema, input.operator);
  const { conversationId } = input;
  const shareId = input.shareId ?? null;
  const secret = randomBytes(32).toString("base64url");

  return prisma.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    const now = new Date();
    // A session that should already have ended must not block a new operator.
    await settleInTransaction(tx, conversationId, now);

    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, controller: "BOT" },
      data: { controller: "OPERATOR" },
    });
    if (count === 0) throw await notAvailableForTakeover(tx, conversationId);

    const conversation = await tx.conversation.findUniqueOrThrow({
      where: { id: conversationId },
      select: { bot: { select: { organizationId: true } } },
    });
    if (shareId) {
      const share = await tx.share.findFirst({
        where: { id: shareId, conversationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        select: { id: true },
      });
      if (!share) throw new AppError("not_found", "This link is not available.");
    }

    const session = await tx.takeoverSession.create({
      data: {
        conversationId,
        shareId,
        operatorUserId: operator.userId,
        operatorName: operator.name,
        tokenHash: hashTakeoverSecret(secret),
        startedAt: now,
        lastActivityAt: now,
      },
      select: { id: true },
    });
    await appendMessage(tx, { conversationId, role: "SYSTEM", text: "An operator joined the conversation" });
    await publishConversationEvent(tx, conversationId, {
      type: "control",
      controller: "OPERATOR",
      operatorName: operator.name,
    });
    await recordAuditEvent(tx, {
      organizationId: conversation.bot.organizationId,
      conversationId,
      shareId: shareId ?? undefined,
      actor: operatorActor(operator.userId, operator.name),
      action: "takeover.started",
      data: { sessionId: session.id },
    });
    return { sessionId: session.id, secret };
  }, TRANSACTION_OPTIONS);
}

/** Why a conversation that is not bot-controlled cannot be taken over (404 if it does not exist). */
async function notAvailableForTakeover(tx: Prisma.TransactionClient, conversationId: string): Promise<AppError> {
  const conversation = await tx.conversation.findUnique({
    where: { id: conversationId },
    select: {
      controller: true,
      takeoverSessions: { where: { endedAt: null }, take: 1, select: { operatorName: true } },
    },
  });
  if (!conversation) return new AppError("not_found", "Conversation not found.");
  if (conversation.controller === "TRANSFERRED") {
    return new AppError("conflict", "The conversation is transferred to another bot");
  }
  const holder = conversation.takeoverSessions[0]?.operatorName ?? "another operator";
  return new AppError("conflict", `Taken over by ${holder}`);
}

/**
 * Runs `act` on the caller's active session, after ending whatever is due; null when the secret
 * does not name this conversation's active session (a stale tab, another browser, an ended session).
 */
async function withActiveSession<T>(
  conversationId: string,
  secret: string,
  act: (tx: Prisma.TransactionClient, session: { id: string; operatorName: string }, now: Date) => Promise<T>,
): Promise<T | null> {
  return prisma.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    const now = new Date();
    await settleInTransaction(tx, conversationId, now);
    const session = await tx.takeoverSession.findFirst({
      where: activeSessionWhere(conversationId, secret),
      select: { id: true, operatorName: true },
    });
    return session ? act(tx, session, now) : null;
  }, TRANSACTION_OPTIONS);
}

/** Ends the caller's takeover session and returns control to the bot. */
export async function handBackConversation(input: { conversationId: string; secret: string }): Promise<void> {
  const ended = await withActiveSession(input.conversationId, input.secret, (tx, session, now) =>
    endTakeoverSession(tx, session.id, "HANDED_BACK", now),
  );
  // Thrown after the transaction so that ending a due session (an expired link) still commits.
  if (!ended) throw new AppError("forbidden", SESSION_ENDED);
}

const operatorMessageSchema = z.object({
  text: z.string().trim().min(1, "Write a message first.").max(4000, "Use at most 4,000 characters."),
});

/** Sends an operator message to the contact through the caller's active takeover session. */
export async function sendOperatorMessage(input: {
  conversationId: string;
  secret: string;
  text: string;
}): Promise<MessageView> {
  const { text } = parseOrThrow(operatorMessageSchema, { text: input.text });
  const sent = await withActiveSession(input.conversationId, input.secret, async (tx, session, now) => {
    await tx.takeoverSession.update({ where: { id: session.id }, data: { lastActivityAt: now } });
    const message = await appendMessage(tx, {
      conversationId: input.conversationId,
      role: "OPERATOR",
      text,
      authorName: session.operatorName,
    });
    // Non-web channels hear the operator through the bot's webhook (lib/webhooks).
    const deliveryId = await enqueueOperatorMessageDelivery(tx, { conversationId: input.conversationId, messageId: message.id });
    return { message, deliveryId };
  });
  if (!sent) throw new AppError("forbidden", SESSION_ENDED);
  if (sent.deliveryId) deliverInBackground(sent.deliveryId);
  return sent.message;
}

/** Ends every due session of every conversation (the periodic sweep). Returns how many it ended. */
export async function sweepTakeovers(now = new Date()): Promise<number> {
  const due = await prisma.takeoverSession.findMany({ where: dueSessionWhere(now), select: dueSessionSelect });
  let ended = 0;
  const failures: unknown[] = [];
  // One transaction per session: a failure on one conversation must not hold back the others.
  for (const session of due) {
    try {
      const done = await prisma.$transaction(
        (tx) => endTakeoverSession(tx, session.id, dueReason(session, now), now),
        TRANSACTION_OPTIONS,
      );
      if (done) ended += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `Ending ${failures.length} takeover session(s) failed.`);
  return ended;
}

/**
 * The lazy check run on every read: ends this conversation's due sessions, so what a page shows
 * is right even when no sweeper has run.
 */
export async function settleConversation(conversationId: string, now = new Date()): Promise<void> {
  // A read is the common case and almost never finds anything: check before taking the lock.
  const due = await prisma.takeoverSession.count({ where: dueSessionWhere(now, conversationId) });
  if (due === 0) return;
  await prisma.$transaction(async (tx) => {
    await lockConversation(tx, conversationId);
    await settleInTransaction(tx, conversationId, now);
  }, TRANSACTION_OPTIONS);
}

/**
 * Ends the open sessions taken over through a share, inside the caller's transaction (the share's
 * revocation or expiry). Returns how many it ended.
 */
export async function endShareSessions(
  tx: Prisma.TransactionClient,
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
    if (await endTakeoverSession(tx, session.id, reason, now)) ended += 1;
  }
  return ended;
}
