import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import type { MessageView } from "@/lib/conversations/message-view";
import { LOCKING_TRANSACTION_OPTIONS as TRANSACTION_OPTIONS, lockConversation } from "@/lib/conversations/lock";
import { authorizeConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { publishConversationEvent } from "@/lib/events/publish";
import type { Prisma } from "@/lib/generated/prisma/client";
import { idSchema } from "@/lib/http";
import { appendMessage } from "@/lib/messages/append";
import { endTakeoverSessionUnchecked } from "@/lib/takeover/end-session";
import { settleInTransaction } from "@/lib/takeover/expiry";
import { assertShareStillActive, findOpenSession, resolveOperatorUnchecked } from "@/lib/takeover/operators";
import { operatorNameSchema } from "@/lib/takeover/operator-name";
import { mayOverrideControl } from "@/lib/takeover/policy";
import { startTakeoverSessionUnchecked, type StartedSession } from "@/lib/takeover/start-session";
import { activeSessionWhere } from "@/lib/takeover/queries";
import { deliverInBackground } from "@/lib/webhooks/deliver";
import { enqueueChannelDeliveryUnchecked } from "@/lib/webhooks/mutations";
import { parseOrThrow } from "@/lib/validation";

// Who may operate a conversation is the conversation policy's "operate": members with an
// operating role in its organization, and holders of a takeover link of it. Every function here
// authorizes its actor inside its own transaction, under the conversation's lock.

const SESSION_ENDED = "Your takeover session has ended.";

const takeOverSchema = z.object({
  conversationId: idSchema,
  operatorName: operatorNameSchema.optional(),
  /** Sent by the page of a "take over on open" link right after it loads, not by a click. */
  onOpen: z.boolean().default(false),
});

const ON_OPEN_USED = "This link already took over once when it was opened; take over by hand.";

/**
 * "Take over on open" fires for the first browser that opens the link, once: a reload, another
 * tab or another operator's browser gets the Take over button instead (an idle tab that took
 * control back right after a hand back left the contact unanswered). Claimed in its own write, so
 * it stays used even when that first take over loses to someone already holding the chat.
 */
async function claimTakeOverOnOpen(actor: Actor): Promise<boolean> {
  if (actor.kind !== "share_link") return false;
  // The owner previewing their own link ("Open in new tab") never takes the chat over, nor uses it up.
  if (actor.viewer.kind === "user" && mayOverrideControl(actor.viewer, actor.organizationId)) return false;
  const { count } = await prisma.share.updateMany({
    where: { id: actor.shareId, takeOverOnOpen: true, takeOverOnOpenUsedAt: null },
    data: { takeOverOnOpenUsedAt: new Date() },
  });
  return count === 1;
}

/**
 * Takes the conversation over for an operator. Exactly one of any number of concurrent callers
 * (in any number of app instances) wins: the others get a conflict naming the holder. Returns the
 * session's secret, which only the winner's browser keeps (the database stores its hash).
 */
export async function takeOverConversation(actor: Actor, input: z.input<typeof takeOverSchema>): Promise<StartedSession> {
  const { conversationId, operatorName, onOpen } = parseOrThrow(takeOverSchema, input);
  if (onOpen) {
    await authorizeConversation(prisma, actor, conversationId, "operate");
    if (!(await claimTakeOverOnOpen(actor))) throw new AppError("conflict", ON_OPEN_USED);
  }

  return prisma.$transaction(async (tx) => {
    const { organizationId } = await authorizeConversation(tx, actor, conversationId, "operate");
    await lockConversation(tx, conversationId);
    const now = new Date();
    // A session that should already have ended must not block a new operator.
    await settleInTransaction(tx, conversationId, now);
    const operator = await resolveOperatorUnchecked(tx, actor, operatorName);
    if (operator.shareId) await assertShareStillActive(tx, operator.shareId, conversationId, now);
    return startTakeoverSessionUnchecked(tx, { conversationId, organizationId, operator, auditActor: auditActorOf(actor, operator.name), now });
  }, TRANSACTION_OPTIONS);
}

const overrideSchema = z.object({ conversationId: idSchema, operatorName: operatorNameSchema.optional() });

/** Authorizes an owner's or admin's override of whoever holds the conversation, under its lock. */
async function authorizeOverride(tx: Prisma.TransactionClient, actor: Actor, conversationId: string) {
  const conversation = await authorizeConversation(tx, actor, conversationId, "operate");
  if (!mayOverrideControl(actor, conversation.organizationId)) {
    throw new AppError(actor.kind === "user" ? "forbidden" : "not_found", actor.kind === "user" ? "Only owners and admins can take control back." : "Conversation not found.");
  }
  await lockConversation(tx, conversationId);
  await settleInTransaction(tx, conversationId, new Date());
  return conversation;
}

/** Ends the open operator session (if any) because an owner or admin took control back. */
async function endOpenSessionByOwner(tx: Prisma.TransactionClient, actor: Actor, conversationId: string, now: Date): Promise<boolean> {
  const open = await findOpenSession(tx, conversationId);
  return open ? endTakeoverSessionUnchecked(tx, actor, open.id, "ENDED_BY_OWNER", now) : false;
}

/**
 * An owner or admin ends the session of whoever holds the conversation (End session on its
 * page): the bot answers again. Returns whether a session was open.
 */
export async function endOperatorSession(actor: Actor, input: z.input<typeof overrideSchema>): Promise<boolean> {
  const { conversationId } = parseOrThrow(overrideSchema, input);
  return prisma.$transaction(async (tx) => {
    await authorizeOverride(tx, actor, conversationId);
    return endOpenSessionByOwner(tx, actor, conversationId, new Date());
  }, TRANSACTION_OPTIONS);
}

/**
 * An owner or admin takes the conversation over even while an operator holds it: that operator's
 * session ends (their tab can no longer send) and the owner's begins, in one transaction.
 */
export async function forceTakeOver(actor: Actor, input: z.input<typeof overrideSchema>): Promise<StartedSession> {
  const { conversationId, operatorName } = parseOrThrow(overrideSchema, input);
  return prisma.$transaction(async (tx) => {
    const { organizationId } = await authorizeOverride(tx, actor, conversationId);
    const operator = await resolveOperatorUnchecked(tx, actor, operatorName);
    const now = new Date();
    await endOpenSessionByOwner(tx, actor, conversationId, now);
    return startTakeoverSessionUnchecked(tx, { conversationId, organizationId, operator, auditActor: auditActorOf(actor, operator.name), now });
  }, TRANSACTION_OPTIONS);
}

/**
 * A second operator asks the holder for control. Nothing moves: the holder sees the request live
 * (a `control_request` event) and may hand back or dismiss it.
 */
export async function requestControl(actor: Actor, input: z.input<typeof overrideSchema>): Promise<void> {
  const { conversationId, operatorName } = parseOrThrow(overrideSchema, input);
  await prisma.$transaction(async (tx) => {
    const { organizationId } = await authorizeConversation(tx, actor, conversationId, "operate");
    await lockConversation(tx, conversationId);
    await settleInTransaction(tx, conversationId, new Date());
    const open = await findOpenSession(tx, conversationId);
    if (!open) throw new AppError("conflict", "Nobody holds this conversation: take over instead.");
    const operator = await resolveOperatorUnchecked(tx, actor, operatorName);
    await publishConversationEvent(tx, conversationId, { type: "control_request", operatorName: operator.name, sessionId: open.id });
    await recordAuditEvent(tx, {
      organizationId,
      conversationId,
      shareId: operator.shareId ?? undefined,
      actor: auditActorOf(actor, operator.name),
      action: "takeover.requested",
      data: { sessionId: open.id },
    });
  }, TRANSACTION_OPTIONS);
}

// An empty or unknown secret names no session: "your session has ended", like a stale one.
const sessionSchema = z.object({ conversationId: idSchema, secret: z.string().max(200) });

/**
 * Runs `act` on the caller's active session, once the actor may operate the conversation and
 * whatever is due has ended; null when the secret does not name this conversation's active
 * session (a stale tab, another browser, an ended session).
 */
async function withActiveSession<T>(
  actor: Actor,
  conversationId: string,
  secret: string,
  act: (tx: Prisma.TransactionClient, session: { id: string; operatorName: string }, now: Date) => Promise<T>,
): Promise<T | null> {
  return prisma.$transaction(async (tx) => {
    await authorizeConversation(tx, actor, conversationId, "operate");
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
export async function handBackConversation(actor: Actor, input: z.input<typeof sessionSchema>): Promise<void> {
  const { conversationId, secret } = parseOrThrow(sessionSchema, input);
  const ended = await withActiveSession(actor, conversationId, secret, (tx, session, now) =>
    endTakeoverSessionUnchecked(tx, actor, session.id, "HANDED_BACK", now),
  );
  // Thrown after the transaction so that ending a due session (an expired link) still commits.
  if (!ended) throw new AppError("forbidden", SESSION_ENDED);
}

export const operatorTextSchema = z.string().trim().min(1, "Write a message first.").max(4000, "Use at most 4,000 characters.");

const operatorMessageSchema = sessionSchema.extend({ text: operatorTextSchema });

/** Sends an operator message to the contact through the caller's active takeover session. */
export async function sendOperatorMessage(actor: Actor, input: z.input<typeof operatorMessageSchema>): Promise<MessageView> {
  const { conversationId, secret, text } = parseOrThrow(operatorMessageSchema, input);
  const sent = await withActiveSession(actor, conversationId, secret, async (tx, session, now) => {
    await tx.takeoverSession.update({ where: { id: session.id }, data: { lastActivityAt: now } });
    const message = await appendMessage(tx, { conversationId, role: "OPERATOR", text, authorName: session.operatorName });
    // Non-web channels hear the operator through the bot's webhook (lib/webhooks).
    const deliveryId = await enqueueChannelDeliveryUnchecked(tx, { conversationId, messageId: message.id });
    return { message, deliveryId };
  });
  if (!sent) throw new AppError("forbidden", SESSION_ENDED);
  if (sent.deliveryId) deliverInBackground(sent.deliveryId);
  return sent.message;
}
