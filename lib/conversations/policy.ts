import "server-only";
import type { UserActor, Actor } from "@/lib/auth/actor";
import type { MemberRole, Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/** What a member wants to do with a conversation. */
export type ConversationPermission = "read" | "share" | "operate";

const ROLES_ALLOWED: Record<ConversationPermission, readonly MemberRole[]> = {
  read: ["OWNER", "ADMIN", "OPERATOR", "VIEWER"],
  share: ["OWNER", "ADMIN"],
  operate: ["OWNER", "ADMIN", "OPERATOR"],
};

export function organizationIdsFor(actor: Actor, permission: ConversationPermission): string[] {
  if (actor.kind !== "user") return [];
  return actor.memberships
    .filter((membership) => ROLES_ALLOWED[permission].includes(membership.role))
    .map((membership) => membership.organizationId);
}

/** A `where` that matches only conversations the actor may act on this way. */
export function conversationScope(
  actor: Actor,
  permission: ConversationPermission,
): Prisma.ConversationWhereInput {
  return { bot: { organizationId: { in: organizationIdsFor(actor, permission) } } };
}

/**
 * Throws unless the actor may act on the conversation of this organization. A conversation the
 * actor cannot even read is "not found"; one they read but may not change is "forbidden".
 */
export function assertConversationPermission(
  actor: UserActor,
  organizationId: string,
  permission: ConversationPermission,
) {
  if (!organizationIdsFor(actor, "read").includes(organizationId)) {
    throw new AppError("not_found", "Conversation not found.");
  }
  if (!organizationIdsFor(actor, permission).includes(organizationId)) {
    throw new AppError("forbidden", "Your role does not allow this.");
  }
}
