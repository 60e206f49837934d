import type { UserActor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * The member a bot flow acts as when the domain needs a user: a share belongs to a user (who sees
 * it in their list and may revoke it), and a flow has none. We pick the organization's
 * longest-standing OWNER because owners may share every conversation of their organization, so
 * the flow passes the same permission checks as the Share button, and the link shows up for a
 * real, accountable person who can revoke it. The actor carries this one membership only, so a
 * flow can never reach another organization's data. Null when the organization has no owner.
 */
export async function findFlowActor(tx: Prisma.TransactionClient, organizationId: string): Promise<UserActor | null> {
  const membership = await tx.membership.findFirst({
    where: { organizationId, role: "OWNER" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      user: { select: { id: true, name: true, email: true } },
      organization: { select: { name: true } },
    },
  });
  if (!membership) return null;
  return {
    kind: "user",
    userId: membership.user.id,
    name: membership.user.name,
    email: membership.user.email,
    memberships: [{ organizationId, organizationName: membership.organization.name, role: "OWNER" }],
  };
}
