import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { InboxStream } from "@/components/inbox/inbox-stream";
import { getActor } from "@/lib/auth/current-actor";
import { REQUESTED_PATH_HEADER } from "@/lib/auth/callback-url";

/** Signed-in pages. Each page and action still checks access itself; this only draws the frame. */
export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await getActor();
  if (actor.kind !== "user") {
    // Back to the page asked for after signing in (the login page checks it is one of ours).
    const requested = (await headers()).get(REQUESTED_PATH_HEADER);
    redirect(requested ? `/login?${new URLSearchParams({ callbackUrl: requested })}` : "/login");
  }
  return (
    <div className="min-h-screen">
      <InboxStream />
      <header className="border-b border-gray-200 bg-white">
        {/* flex-wrap: on a phone the links, the signed-in name and Sign out did not fit one row and
            pushed the page ~100px wider than the screen; now the name and Sign out wrap below. */}
        <nav className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-1 px-4 py-2">
          <Link href="/conversations" className="font-semibold text-brand">
            Switchboard
          </Link>
          <Link href="/conversations" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Conversations
          </Link>
          <Link href="/bots" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Bots
          </Link>
          <Link href="/links" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Shared links
          </Link>
          <Link href="/settings/tokens" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            API tokens
          </Link>
          <Link href="/settings/sessions" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Sessions
          </Link>
          <Link href="/settings/profile" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Profile
          </Link>
          <Link href="/settings/notifications" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Notifications
          </Link>
          <Link href="/settings/organization" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
            Organization
          </Link>
          <Link href="/api-reference" className="text-sm whitespace-nowrap text-gray-700 hover:underline">
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
