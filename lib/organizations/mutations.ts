import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { prisma } from "@/lib/db";
import { assertCanEditOrganization } from "@/lib/organizations/policy";
import { updatePublicNameSchema, type UpdatePublicNameInput } from "@/lib/organizations/schemas";
import { parseOrThrow } from "@/lib/validation";

/**
 * Sets (or, with an empty name, removes) the name the organization's shares show on their public
 * pages and link previews. Only owners and admins of the organization may.
 */
export async function updateOrganizationPublicName(actor: Actor, input: UpdatePublicNameInput): Promise<{ publicName: string | null }> {
  const { organizationId, publicName } = parseOrThrow(updatePublicNameSchema, input);
  assertCanEditOrganization(actor, organizationId);
  await prisma.$transaction(async (tx) => {
    await tx.organization.update({ where: { id: organizationId }, data: { publicName } });
    await recordAuditEvent(tx, {
      organizationId,
      actor: auditActorOf(actor),
      action: "organization.public_name_updated",
      data: { publicName },
    });
  });
  return { publicName };
}
