import "server-only";
import type { Actor, ShareLinkActor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";

/** The organizations whose settings this member may change, with their public display names. */
export async function listEditableOrganizations(actor: Actor) {
  const ids = organizationIdsFor(actor, "share");
  if (ids.length === 0) return [];
  return prisma.organization.findMany({
    where: { id: { in: ids } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, publicName: true },
  });
}

/**
 * The name a share's public page and preview may show for its organization: the one its owners
 * chose, or null. Never the organization's internal name, nor anything about its members.
 */
export async function findSharePublicName(link: ShareLinkActor): Promise<string | null> {
  const organization = await prisma.organization.findUnique({ where: { id: link.organizationId }, select: { publicName: true } });
  return organization?.publicName ?? null;
}
