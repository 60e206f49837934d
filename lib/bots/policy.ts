import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// Bots follow the conversation roles: every member reads their organization's bots, and the
// members who may share conversations (OWNER, ADMIN) also change bot flows.

/** A `where` that matches only the bots whose organization the actor belongs to. */
export function botScope(actor: Actor): Prisma.BotWhereInput {
  return { organizationId: { in: organizationIdsFor(actor, "read") } };
}

export function canEditBots(actor: Actor, organizationId: string): boolean {
  return organizationIdsFor(actor, "share").includes(organizationId);
}

/** Throws unless the actor may change the bots of this organization (readers get "forbidden"). */
export function assertCanEditBot(actor: Actor, organizationId: string) {
  if (!organizationIdsFor(actor, "read").includes(organizationId)) throw new AppError("not_found", "Bot not found.");
  if (!canEditBots(actor, organizationId)) throw new AppError("forbidden", "Only owners and admins can change bots.");
}
