import type { Metadata } from "next";
import { PublicNameForm } from "@/components/organizations/public-name-form";
import { getActor } from "@/lib/auth/current-actor";
import { listEditableOrganizations } from "@/lib/organizations/queries";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationSettingsPage() {
  const organizations = await listEditableOrganizations(await getActor());
  return (
    <main className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Organization</h1>
      <p className="text-sm text-gray-700">
        The public name appears on your shared pages and in their link previews (Slack, Discord, …). Leave it empty and shares
        name no organization. Your own name and your colleagues’ never appear there.
      </p>
      {organizations.length === 0 ? (
        <p className="rounded-lg border border-dashed border-gray-300 p-8 text-center text-gray-600">
          Only owners and admins change an organization’s settings. Ask one of them.
        </p>
      ) : (
        organizations.map((organization) => (
          <section key={organization.id} aria-labelledby={`org-${organization.id}`} className="rounded-lg border border-gray-200 bg-white p-4">
            <h2 id={`org-${organization.id}`} className="mb-2 font-semibold">
              {organization.name}
            </h2>
            <PublicNameForm organizationId={organization.id} publicName={organization.publicName} />
          </section>
        ))
      )}
    </main>
  );
}
