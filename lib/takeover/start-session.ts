import "server-only";
import { randomBytes } from "node:crypto";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import { publishConversationEvent } from "@/lib/events/publish";
import { afterTakeoverStartedUnchecked } from "@/lib/inbox/takeover-hooks";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";
import { notAvailableForTakeover, type OperatorIdentity } from "@/lib/takeover/operators";
import { hashTakeoverSecret } from "@/lib/takeover/queries";

export type StartedSession = { sessionId: string; secret: string; operatorName: string };

/**
 * Opens a takeover session: a bot-controlled conversation becomes the operator's. Authorizes
 * nothing: its callers have authorized the actor and hold the conversation's lock with due
 * sessions ended. The conditional update makes exactly one of any number of callers win; the
 * others get a conflict naming the holder.
 */
export async function startTakeoverSessionUnchecked(
  tx: Prisma.TransactionClient,
  start: {
    conversationId: string;
    organizationId: string;
    operator: OperatorIdentity;
    auditActor: AuditActor;
    now: Date;
    /** Held by replies typed on the channel itself (no browser holds its secret). */
    viaChannel?: boolean;
  },
): Promise<StartedSession> {
  const { conversationId, operator, now } = start;
  const secret = randomBytes(32).toString("base64url");
  const { count } = await tx.conversation.updateMany({
    where: { id: conversationId, controller: "BOT" },
    data: { controller: "OPERATOR" },
  });
  if (count === 0) throw await notAvailableForTakeover(tx, conversationId);
  // The first take over through a take-over-on-open link, by hand or not, is its one "on open".
  if (operator.shareId) {
    await tx.share.updateMany({ where: { id: operator.shareId, takeOverOnOpenUsedAt: null }, data: { takeOverOnOpenUsedAt: now } });
  }

  const session = await tx.takeoverSession.create({
    data: {
      conversationId,
      shareId: operator.shareId,
      operatorUserId: operator.userId,
      operatorName: operator.name,
      viaChannel: start.viaChannel ?? false,
      tokenHash: hashTakeoverSecret(secret),
      startedAt: now,
      lastActivityAt: now,
    },
    select: { id: true },
  });
  await appendMessage(tx, { conversationId, role: "SYSTEM", text: "An operator joined the conversation" });
  await publishConversationEvent(tx, conversationId, { type: "control", controller: "OPERATOR", operatorName: operator.name, sessionId: session.id });
  await recordAuditEvent(tx, {
    organizationId: start.organizationId,
    conversationId,
    shareId: operator.shareId ?? undefined,
    actor: start.auditActor,
    action: "takeover.started",
    data: { sessionId: session.id, ...(start.viaChannel ? { viaChannel: true } : {}) },
  });
  await afterTakeoverStartedUnchecked(tx, session.id);
  return { sessionId: session.id, secret, operatorName: operator.name };
}
