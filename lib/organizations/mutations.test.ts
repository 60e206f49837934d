import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { updateOrganizationPublicName } from "@/lib/organizations/mutations";
import { createMember, createOrganization } from "@/lib/testing/fixtures";

const publicNameOf = async (id: string) => (await prisma.organization.findUniqueOrThrow({ where: { id }, select: { publicName: true } })).publicName;

describe("updateOrganizationPublicName", () => {
  it("lets an admin set the name and clear it again with an empty one", async () => {
    const { organization } = await createOrganization();
    const admin = await createMember(organization.id, "ADMIN");
    await expect(updateOrganizationPublicName(admin.actor, { organizationId: organization.id, publicName: "  Acme Help  " })).resolves.toEqual({ publicName: "Acme Help" });
    expect(await publicNameOf(organization.id)).toBe("Acme Help");
    await updateOrganizationPublicName(admin.actor, { organizationId: organization.id, publicName: " " });
    expect(await publicNameOf(organization.id)).toBeNull();
  });

  it("refuses operators, viewers, other organizations and anonymous callers, changing nothing", async () => {
    const { organization } = await createOrganization();
    const other = await createOrganization();
    await prisma.organization.update({ where: { id: organization.id }, data: { publicName: "Before" } });
    const operator = await createMember(organization.id, "OPERATOR");
    const viewer = await createMember(organization.id, "VIEWER");
    for (const [actor, code] of [
      [operator.actor, "forbidden"],
      [viewer.actor, "forbidden"],
      [other.owner.actor, "not_found"],
      [ANONYMOUS, "not_found"],
    ] as const) {
      await expect(updateOrganizationPublicName(actor, { organizationId: organization.id, publicName: "After" })).rejects.toMatchObject({ code });
    }
    expect(await publicNameOf(organization.id)).toBe("Before");
  });

  it("refuses a name too long for a preview or with a line break", async () => {
    const { organization, owner } = await createOrganization();
    for (const publicName of ["x".repeat(61), "Acme\nSupport"]) {
      await expect(updateOrganizationPublicName(owner.actor, { organizationId: organization.id, publicName })).rejects.toMatchObject({ code: "bad_request" });
    }
    expect(await publicNameOf(organization.id)).toBeNull();
  });
});
