import "server-only";
import { randomBytes } from "node:crypto";
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
import { afterTakeoverStartedUnchecked } from "@/lib/inbox/takeover-hooks";
import { appendMessage } from "@/lib/messages/append";
import { endTakeoverSessionUnchecked } from "@/lib/takeover/end-session";
import { settleInTransaction } from "@/lib/takeover/expiry";
import { activeSessionWhere, hashTakeoverSecret } from "@/lib/takeover/queries";
import { deliverInBackground } from "@/lib/webhooks/deliver";
import { enqueueOperatorMessageDeliveryUnchecked } from "@/lib/webhooks/mutations";
import { parseOrThrow } from "@/lib/validation";

// Who may operate a conversation is the conversation policy's "operate": members with an
// operating role in its organization, and holders of a takeover link of it. Every function here
// authorizes its actor inside its own transaction, under the conversation's lock.

const SESSION_ENDED = "Your takeover session has ended.";

const operatorNameSchema = z.string().trim().min(1, "Enter a name.").max(60, "Use at most 60 characters.");

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
  const { count } = await prisma.share.updateMany({
    where: { id: actor.shareId, takeOverOnOpen: true, takeOverOnOpenUsedAt: null },
    data: { takeOverOnOpenUsedAt: new Date() },
  });
  return count === 1;
}

/** Who takes over, as other operators, viewers and History see them: a display name, never an email. */
function operatorIdentity(actor: Actor, chosenName: string | undefined) {
  const member = actor.kind === "user" ? actor : actor.kind === "share_link" && actor.viewer.kind === "user" ? actor.viewer : null;
  return {
    userId: member?.userId ?? null,
    name: chosenName ?? member?.name ?? "Operator",
    shareId: actor.kind === "share_link" ? actor.shareId : null,
  };
}

/**
 * Takes the conversation over for an operator. Exactly one of any number of concurrent callers
 * (in any number of app instances) wins: the others get a conflict naming the holder. Returns the
 * session's secret, which only the winner's browser keeps (the database stores its hash).
 */
export async function takeOverConversation(
  actor: Actor,
  input: z.input<typeof takeOverSchema>,
): Promise<{ sessionId: string; secret: string; operatorName: string }> {
  const { conversationId, operatorName, onOpen } = parseOrThrow(takeOverSchema, input);
  const operator = operatorIdentity(actor, operatorName);
  if (onOpen) {
    await authorizeConversation(prisma, actor, conversationId, "operate");
    if (!(await claimTakeOverOnOpen(actor))) throw new AppError("conflict", ON_OPEN_USED);
  }
  const secret = randomBytes(32).toString("base64url");

  return prisma.$transaction(async (tx) => {
    const { organizationId } = await authorizeConversation(tx, actor, conversationId, "operate");
    await lockConversation(tx, conversationId);
    const now = new Date();
    // A session that should already have ended must not block a new operator.
    await settleInTransaction(tx, conversationId, now);
    if (operator.shareId) await assertShareStillActive(tx, operator.shareId, conversationId, now);

    const { count } = await tx.conversation.updateMany({
      where: { id: conversationId, controller: "BOT" },
      data: { controller: "OPERATOR" },
    });
    if (count === 0) throw await notAvailableForTakeover(tx, conversationId);

    const session = await tx.takeoverSession.create({
      data: {
        conversationId,
        shareId: operator.shareId,
        operatorUserId: operator.userId,
        operatorName: operator.name,
        tokenHash: hashTakeoverSecret(secret),
        startedAt: now,
        lastActivityAt: now,
      },
      select: { id: true },
    });
    await appendMessage(tx, { conversationId, role: "SYSTEM", text: "An operator joined the conversation" });
    await publishConversationEvent(tx, conversationId, { type: "control", controller: "OPERATOR", operatorName: operator.name });
    await recordAuditEvent(tx, {
      organizationId,
      conversationId,
      shareId: operator.shareId ?? undefined,
      actor: auditActorOf(actor, operator.name),
      action: "takeover.started",
      data: { sessionId: session.id },
    });
    await afterTakeoverStartedUnchecked(tx, session.id);
    return { sessionId: session.id, secret, operatorName: operator.name };
  }, TRANSACTION_OPTIONS);
}

/** Under the lock: the link the operator came through must still be open (not revoked or expired). */
async function assertShareStillActive(tx: Prisma.TransactionClient, shareId: string, conversationId: string, now: Date) {
  const share = await tx.share.findFirst({
    where: { id: shareId, conversationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true },
  });
  if (!share) throw new AppError("not_found", "This link is not available.");
}

/** Why a conversation that is not bot-controlled cannot be taken over. */
async function notAvailableForTakeover(tx: Prisma.TransactionClient, conversationId: string): Promise<AppError> {
  const conversation = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: {
      controller: true,
      takeoverSessions: { where: { endedAt: null }, take: 1, select: { operatorName: true } },
    },
  });
  if (conversation.controller === "TRANSFERRED") {
    return new AppError("conflict", "The conversation is transferred to another bot");
  }
  const holder = conversation.takeoverSessions[0]?.operatorName ?? "another operator";
  return new AppError("conflict", `Taken over by ${holder}`);
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
    const deliveryId = await enqueueOperatorMessageDeliveryUnchecked(tx, { conversationId, messageId: message.id });
    return { message, deliveryId };
  });
  if (!sent) throw new AppError("forbidden", SESSION_ENDED);
  if (sent.deliveryId) deliverInBackground(sent.deliveryId);
  return sent.message;
}
