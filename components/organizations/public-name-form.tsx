"use client";

import { useActionState, useState } from "react";
import { savePublicNameAction } from "@/app/(app)/settings/organization/actions";
import { Button } from "@/components/ui/button";
import { MAX_PUBLIC_NAME } from "@/lib/organizations/schemas";

/** The name shown on an organization's public share pages and previews; empty shows none. */
export function PublicNameForm({ organizationId, publicName }: { organizationId: string; publicName: string | null }) {
  const [state, save, saving] = useActionState(savePublicNameAction, null);
  // Controlled: React resets an action form's fields after each submit, which would drop a rejected name.
  const [name, setName] = useState(publicName ?? "");
  const error = state && !state.ok ? (state.fieldErrors?.publicName?.[0] ?? state.error) : null;
  const errorId = `public-name-error-${organizationId}`;
  return (
    <form action={save} className="flex flex-col gap-2 text-sm">
      <input type="hidden" name="organizationId" value={organizationId} />
      <label className="flex flex-col gap-1">
        <span className="font-medium">Public name</span>
        <input
          name="publicName"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={MAX_PUBLIC_NAME}
          placeholder="e.g. Acme Support"
          className="max-w-sm rounded-md border border-gray-300 px-2 py-1.5"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
        />
      </label>
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save public name"}
        </Button>
        <span role="status" id={errorId} className={state?.ok ? "text-green-700" : "text-red-700"}>
          {state?.ok ? (state.data.publicName ? "Saved." : "Removed: shares show no organization name.") : (error ?? "")}
        </span>
      </div>
    </form>
  );
}
