import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { signOutEverywhereAction } from "@/app/(app)/settings/sessions/actions";
import { SignOutEverywhere } from "@/components/auth/sign-out-everywhere";
import { RelativeTime } from "@/components/ui/relative-time";
import { getActor } from "@/lib/auth/current-actor";
import { listUserSessions } from "@/lib/auth/sessions";

export const metadata: Metadata = { title: "Sessions" };

export default async function SessionsPage() {
  const actor = await getActor();
  if (actor.kind !== "user") redirect("/login?callbackUrl=/settings/sessions");
  const sessions = await listUserSessions(actor.userId);
  return (
    <main className="flex flex-col gap-4">
      <h1 className="text-xl font-semibold">Sessions</h1>
      <p className="text-sm text-gray-700">
        Every browser signed in as you. Signing out ends a session on the server, so a copy of its cookie stops working too.
      </p>
      <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" data-testid="sessions">
        {sessions.map((session) => (
          <li key={session.id} className="flex flex-wrap justify-between gap-x-4 gap-y-1 px-4 py-2 text-sm">
            <span className="text-gray-800">{session.userAgent ?? "Unknown browser"}</span>
            <span className="text-gray-600">
              signed in <RelativeTime iso={session.createdAt.toISOString()} />, last seen <RelativeTime iso={session.lastSeenAt.toISOString()} />
            </span>
          </li>
        ))}
      </ul>
      <SignOutEverywhere action={signOutEverywhereAction} />
    </main>
  );
}
