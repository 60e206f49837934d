import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { getActor } from "@/lib/auth/actor";

/** Signed-in pages. Each page and action still checks access itself; this only draws the frame. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login");
  return (
    <div className="min-h-screen">
      <header className="border-b border-gray-200 bg-white">
        <nav className="mx-auto flex max-w-5xl items-center gap-4 px-4 py-2">
          <Link href="/conversations" className="font-semibold text-brand">
            Switchboard
          </Link>
          <Link href="/conversations" className="text-sm text-gray-700 hover:underline">
            Conversations
          </Link>
          <Link href="/bots" className="text-sm text-gray-700 hover:underline">
            Bots
          </Link>
          <Link href="/settings/tokens" className="text-sm text-gray-700 hover:underline">
            API tokens
          </Link>
          <Link href="/api-reference" className="text-sm text-gray-700 hover:underline">
            API
          </Link>
          <span className="ml-auto text-sm text-gray-600" data-testid="signed-in-as">
            {actor.name} · {actor.memberships.map((m) => m.organizationName).join(", ")}
          </span>
          <SignOutButton />
        </nav>
      </header>
      <div className="mx-auto max-w-5xl px-4 py-6">{children}</div>
    </div>
  );
}
