import "server-only";
import { createHash } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import { scopedConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Controller, Prisma } from "@/lib/generated/prisma/client";

/** The stored form of a takeover secret: only its SHA-256 reaches the database. */
export function hashTakeoverSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** The `where` matching the active session of this conversation that the secret belongs to. */
export function activeSessionWhere(conversationId: string, secret: string) {
  return {
    tokenHash: hashTakeoverSecret(secret),
    conversationId,
    endedAt: null,
  } satisfies Prisma.TakeoverSessionWhereInput;
}

export type ControlState = {
  controller: Controller;
  /** Display name of the operator holding the conversation; null unless an operator does. */
  operatorName: string | null;
  sessionId: string | null;
};

/** Who answers the contact right now. Run `settleConversation` first so time-based ends apply. */
export async function getControlState(actor: Actor, conversationId: string): Promise<ControlState> {
  const conversation = await prisma.conversation.findFirst({
    where: scopedConversation(actor, conversationId, "read"),
    select: {
      controller: true,
      takeoverSessions: {
        where: { endedAt: null },
        orderBy: { startedAt: "desc" },
        take: 1,
        select: { id: true, operatorName: true },
      },
    },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  const session = conversation.controller === "OPERATOR" ? conversation.takeoverSessions[0] : undefined;
  return {
    controller: conversation.controller,
    operatorName: session?.operatorName ?? null,
    sessionId: session?.id ?? null,
  };
}

/** The session this browser holds (by the secret in its cookie), if it is still active. */
export async function findActiveSession(
  conversationId: string,
  secret: string,
): Promise<{ id: string; operatorName: string } | null> {
  return prisma.takeoverSession.findFirst({
    where: activeSessionWhere(conversationId, secret),
    select: { id: true, operatorName: true },
  });
}

export type ControlHistoryEntry = {
  id: string;
  action: string;
  actorName: string;
  createdAt: Date;
  /** Why a takeover ended (HANDED_BACK, EXPIRED, REVOKED, STALE); null for other events. */
  reason: string | null;
};

/**
 * The conversation's audit trail, newest first, for its members' History panel: members who read
 * the conversation only (never a link, a contact or a bot).
 */
export async function listControlHistory(actor: Actor, conversationId: string, limit = 100): Promise<ControlHistoryEntry[]> {
  if (actor.kind !== "user") return [];
  const rows = await prisma.auditEvent.findMany({
    where: { conversationId, conversation: scopedConversation(actor, conversationId, "read") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, action: true, actorName: true, createdAt: true, data: true },
  });
  return rows.map(({ data, ...row }) => ({ ...row, reason: reasonOf(data) }));
}

function reasonOf(data: Prisma.JsonValue): string | null {
  if (data && typeof data === "object" && !Array.isArray(data) && typeof data.reason === "string") return data.reason;
  return null;
}
