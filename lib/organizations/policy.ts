import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { assertOrganizationPermission, organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";

// An organization's settings follow the sharing role: the members who may share its
// conversations (OWNER, ADMIN) also choose how its shares present it.

export function canEditOrganization(actor: Actor, organizationId: string): boolean {
  return organizationIdsFor(actor, "share").includes(organizationId);
}

/** Throws "not found" for anyone outside the organization, "forbidden" for a member whose role only reads. */
export function assertCanEditOrganization(actor: Actor, organizationId: string) {
  if (actor.kind !== "user") throw new AppError("not_found", "Organization not found.");
  assertOrganizationPermission(actor, organizationId, "share", "Organization");
}
