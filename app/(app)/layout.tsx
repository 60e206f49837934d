import { headers } from "next/headers";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { InboxStream } from "@/components/inbox/inbox-stream";
import { getActor } from "@/lib/auth/current-actor";
import { REQUESTED_PATH_HEADER } from "@/lib/auth/callback-url";

/** The header's links, in order. */
const NAV_LINKS = [
  { href: "/conversations", label: "Conversations" },
  { href: "/bots", label: "Bots" },
  { href: "/links", label: "Shared links" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/sessions", label: "Sessions" },
  { href: "/settings/profile", label: "Profile" },
  { href: "/settings/notifications", label: "Notifications" },
  { href: "/settings/organization", label: "Organization" },
  { href: "/api-reference", label: "API" },
];

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
          {NAV_LINKS.map(({ href, label }) => (
            <Link key={href} href={href} className="text-sm whitespace-nowrap text-gray-700 hover:underline">
              {label}
            </Link>
          ))}
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
