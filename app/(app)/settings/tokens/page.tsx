import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { createPersonalTokenAction, revokePersonalTokenAction } from "@/app/(app)/settings/tokens/actions";
import { TokenManager } from "@/components/tokens/token-manager";
import { toTokenRows } from "@/components/tokens/token-rows";
import { getActor } from "@/lib/auth/current-actor";
import { listPersonalTokens } from "@/lib/tokens/queries";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login");
  const tokens = await listPersonalTokens(actor);
  return (
    <main className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">API tokens</h1>
      <p className="text-sm text-gray-700">
        A personal token lets a script call the REST API as you, with your roles: send it as{" "}
        <code className="font-mono">Authorization: Bearer sb_pat_…</code>. Tokens that act for a bot are on each bot’s page. Every
        endpoint is described in the{" "}
        <Link href="/api-reference" className="text-brand underline">
          API reference
        </Link>
        .
      </p>
      <TokenManager
        tokens={toTokenRows(tokens)}
        createAction={createPersonalTokenAction}
        revokeAction={revokePersonalTokenAction}
        emptyHint="Create one above to call the API from a script."
        namePlaceholder="e.g. Nightly export script"
      />
    </main>
  );
}
