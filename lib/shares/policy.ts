import type { Actor } from "@/lib/auth/actor";
import type { ShareVisibility } from "@/lib/generated/prisma/client";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { shareStatus } from "@/lib/shares/status";

/** The facts about a share that decide who may open it. */
export type ShareAccessFacts = {
  visibility: ShareVisibility;
  /** The member who created it; null when a bot did. */
  userId: string | null;
  organizationId: string;
  revokedAt: Date | null;
  expiresAt: Date | null;
};

/**
 * Whether this actor may open the share's public page, files and ZIP. Revoked, expired and
 * not-permitted links all answer the same "not available", so callers need no reason.
 */
export function canViewShare(actor: Actor, share: ShareAccessFacts, now = new Date()): boolean {
  if (shareStatus(share, now) !== "active") return false;
  switch (share.visibility) {
    case "PUBLIC":
      return true;
    case "ORGANIZATION":
      return (
        actor.kind === "user" &&
        actor.memberships.some((membership) => membership.organizationId === share.organizationId)
      );
    case "PRIVATE":
      // "Only the owner": the member who made the link, or, for a link a bot made, the members
      // who may share the conversation (its owners and admins).
      if (actor.kind !== "user") return false;
      return share.userId !== null ? actor.userId === share.userId : organizationIdsFor(actor, "share").includes(share.organizationId);
  }
}
