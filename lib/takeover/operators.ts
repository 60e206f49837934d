import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// Who operates a conversation, as the contact, other operators and History see them: a display
// name the operator chose, never an account name or email (those never reach a public page).

/** The name an operator acts under when none was chosen: the channel's, or an anonymous link's. */
export const FALLBACK_OPERATOR_NAME = "Operator";

export type OperatorIdentity = { userId: string | null; name: string; shareId: string | null };

/** The member behind an actor: a signed-in member, or one who opened a share link signed in. */
function memberOf(actor: Actor) {
  if (actor.kind === "user") return actor;
  if (actor.kind === "share_link" && actor.viewer.kind === "user") return actor.viewer;
  return null;
}

/**
 * Resolves the operator's display name inside the caller's (authorized) transaction. A member
 * acts under the operator name they set once: a name chosen now becomes it, otherwise the stored
 * one is used, and a member with neither is asked for one (400). Anonymous link holders give a
 * name on the page (it stays in their browser), or are "Operator".
 */
export async function resolveOperatorUnchecked(
  tx: Prisma.TransactionClient,
  actor: Actor,
  chosenName: string | undefined,
): Promise<OperatorIdentity> {
  const shareId = actor.kind === "share_link" ? actor.shareId : null;
  const member = memberOf(actor);
  if (!member) return { userId: null, name: chosenName ?? FALLBACK_OPERATOR_NAME, shareId };
  if (chosenName) {
    await tx.user.update({ where: { id: member.userId }, data: { operatorName: chosenName } });
    return { userId: member.userId, name: chosenName, shareId };
  }
  const stored = await tx.user.findUnique({ where: { id: member.userId }, select: { operatorName: true } });
  if (!stored?.operatorName) {
    throw new AppError("bad_request", "Choose the name you operate under.", { operatorName: ["Choose the name you operate under."] });
  }
  return { userId: member.userId, name: stored.operatorName, shareId };
}

/** Under the lock: the link the operator came through must still be open (not revoked or expired). */
export async function assertShareStillActive(tx: Prisma.TransactionClient, shareId: string, conversationId: string, now: Date) {
  const share = await tx.share.findFirst({
    where: { id: shareId, conversationId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    select: { id: true },
  });
  if (!share) throw new AppError("not_found", "This link is not available.");
}

/** The open session of a conversation (at most one), if any. */
export function findOpenSession(tx: Prisma.TransactionClient, conversationId: string) {
  return tx.takeoverSession.findFirst({
    where: { conversationId, endedAt: null },
    select: { id: true, operatorName: true, viaChannel: true },
  });
}

/** Why a conversation that is not bot-controlled cannot be taken over. */
export async function notAvailableForTakeover(tx: Prisma.TransactionClient, conversationId: string): Promise<AppError> {
  const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { controller: true } });
  if (conversation.controller === "TRANSFERRED") {
    return new AppError("conflict", "The conversation is transferred to another bot");
  }
  const holder = (await findOpenSession(tx, conversationId))?.operatorName ?? "another operator";
  return new AppError("conflict", `Taken over by ${holder}`);
}
