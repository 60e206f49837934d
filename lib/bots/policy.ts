import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { assertOrganizationPermission, organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// Bots follow the conversation roles: every member reads their organization's bots, and the
// members who may share conversations (OWNER, ADMIN) also change bot flows, tokens and webhooks.

/** A `where` that matches only the bots the actor may see: members' organizations', a bot's own. */
export function botScope(actor: Actor): Prisma.BotWhereInput {
  switch (actor.kind) {
    case "user":
      return { organizationId: { in: organizationIdsFor(actor, "read") } };
    case "bot_token":
    case "flow":
      return { id: actor.botId };
    case "system":
      return {};
    default:
      return { id: { in: [] } };
  }
}

export function canEditBots(actor: Actor, organizationId: string): boolean {
  return organizationIdsFor(actor, "share").includes(organizationId);
}

/**
 * Throws unless the actor may change the bots of this organization: only members with a sharing
 * role; anyone outside the organization (bots and links included) gets "not found".
 */
export function assertCanEditBot(actor: Actor, organizationId: string) {
  if (actor.kind !== "user") throw new AppError("not_found", "Bot not found.");
  assertOrganizationPermission(actor, organizationId, "share", "Bot");
}
