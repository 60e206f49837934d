import "server-only";
import type { UserActor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";

/**
 * Bot tokens act for a bot through the API (sharing its conversations, posting its contacts'
 * messages), so only the members who may share (OWNER, ADMIN) manage them. A bot outside the
 * actor's organizations is "not found"; one they only read is "forbidden".
 */
export function assertCanManageBotTokens(actor: UserActor, organizationId: string) {
  if (!organizationIdsFor(actor, "read").includes(organizationId)) throw new AppError("not_found", "Bot not found.");
  if (!organizationIdsFor(actor, "share").includes(organizationId)) {
    throw new AppError("forbidden", "Only owners and admins can manage bot tokens.");
  }
}

export function canManageBotTokens(actor: UserActor, organizationId: string): boolean {
  return organizationIdsFor(actor, "share").includes(organizationId);
}
