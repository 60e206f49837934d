import type { Metadata } from "next";
import Link from "next/link";
import { OrganizationExportForm } from "@/components/export/organization-export-form";
import { InboxList } from "@/components/inbox/inbox-list";
import { NotificationSettings } from "@/components/inbox/notification-settings";
import { buttonClass } from "@/components/ui/button";
import { getActor } from "@/lib/auth/current-actor";
import { listBots } from "@/lib/bots/queries";
import { listInbox } from "@/lib/inbox/queries";
import { parseInboxState } from "@/lib/inbox/schemas";
import { INBOX_STATE_LABELS, INBOX_STATES, type InboxState } from "@/lib/inbox/view";

export const metadata: Metadata = { title: "Conversations" };

type Props = { searchParams: Promise<{ q?: string; state?: string }> };

function filterHref(state: InboxState | undefined, query: string) {
  const params = new URLSearchParams({ ...(state ? { state } : {}), ...(query ? { q: query } : {}) });
  return `/conversations${params.size ? `?${params}` : ""}`;
}

function emptyText(query: string, state: InboxState | undefined) {
  if (query) return `No conversation matches “${query}”. Try another title or contact name.`;
  if (state === "needs_human") return "Nobody is waiting for a person right now. New requests appear here as they come in.";
  if (state) return `No conversation is “${INBOX_STATE_LABELS[state]}” right now.`;
  return "No conversations yet. They appear here as soon as a contact writes to one of your bots.";
}

export default async function ConversationsPage({ searchParams }: Props) {
  const params = await searchParams;
  const query = params.q?.slice(0, 200) ?? "";
  const state = parseInboxState(params.state);
  const actor = await getActor();
  const [items, bots] = await Promise.all([listInbox(actor, { query, state }), listBots(actor)]);
  return (
    <main className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 id="conversations-heading" className="text-xl font-semibold">
          Conversations
        </h1>
        <form className="ml-auto flex gap-2" role="search">
          {state && <input type="hidden" name="state" value={state} />}
          <input
            name="q"
            defaultValue={query}
            placeholder="Search by title or contact"
            aria-label="Search conversations"
            className="w-64 rounded-md border border-gray-300 px-3 py-1.5 text-sm"
          />
          <button className={buttonClass("secondary")}>Search</button>
        </form>
      </div>
      <nav aria-label="Filter by state" className="flex flex-wrap gap-2 text-sm">
        {[undefined, ...INBOX_STATES].map((option) => (
          <Link
            key={option ?? "all"}
            href={filterHref(option, query)}
            aria-current={option === state ? "page" : undefined}
            className={`rounded-full border px-3 py-1 ${option === state ? "border-brand bg-brand text-white" : "border-gray-300 bg-white text-gray-700 hover:bg-gray-100"}`}
          >
            {option ? INBOX_STATE_LABELS[option] : "All"}
          </Link>
        ))}
      </nav>
      <NotificationSettings />
      {bots.length > 0 && <OrganizationExportForm bots={bots} />}
      <InboxList initialItems={items} state={state} searching={query !== ""} emptyText={emptyText(query, state)} />
    </main>
  );
}
