"use client";

import Link from "next/link";
import { useState } from "react";
import { useInboxRows } from "@/components/inbox/inbox-stream";
import { RelativeTime } from "@/components/ui/relative-time";
import { INBOX_STATE_LABELS, type InboxItem, type InboxState } from "@/lib/inbox/view";

const STATE_BADGES: Record<InboxState, string> = {
  needs_human: "bg-amber-100 text-amber-900",
  operator: "bg-violet-100 text-violet-900",
  bot: "bg-gray-100 text-gray-700",
  transferred: "bg-sky-100 text-sky-900",
};

type Props = {
  initialItems: InboxItem[];
  /** The list's filter: a changed row that no longer fits it leaves the list. */
  state?: InboxState;
  /** While searching, only rows already listed are updated (the search runs on the server). */
  searching: boolean;
  emptyText: string;
};

function badgeText(item: InboxItem) {
  if (item.state === "operator") return item.heldByYou ? "Held by you" : `Held by ${item.operatorName ?? "an operator"}`;
  return INBOX_STATE_LABELS[item.state];
}

/** The conversation list, kept current by the inbox stream (InboxStream in the layout). */
export function InboxList({ initialItems, state, searching, emptyText }: Props) {
  const [items, setItems] = useState(initialItems);
  const [shownInitial, setShownInitial] = useState(initialItems);
  // A server render (a new filter, a refresh) replaces the rows.
  if (initialItems !== shownInitial) {
    setShownInitial(initialItems);
    setItems(initialItems);
  }

  useInboxRows((item) => {
    setItems((rows) => {
      const others = rows.filter((row) => row.id !== item.id);
      const fits = !state || item.state === state;
      if (!fits || (searching && others.length === rows.length)) return others;
      return [item, ...others].sort((a, b) => b.lastMessageAt.localeCompare(a.lastMessageAt));
    });
  });

  if (items.length === 0) {
    return <p className="rounded-lg border border-dashed border-gray-300 p-8 text-center text-gray-600">{emptyText}</p>;
  }
  return (
    <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-label="Conversations">
      {items.map((item) => (
        <li key={item.id} data-state={item.state}>
          <Link href={`/conversations/${item.id}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-gray-50">
            <span className={item.unread > 0 ? "font-semibold" : "font-medium"}>{item.title}</span>
            <span className={`rounded px-1.5 text-xs ${STATE_BADGES[item.state]}`} data-testid="conversation-state">
              {badgeText(item)}
            </span>
            {item.hasActiveShare && <span className="rounded bg-blue-100 px-1.5 text-xs text-blue-800">shared</span>}
            {item.unread > 0 && (
              <span className="rounded-full bg-brand px-2 text-xs font-semibold text-white" data-testid="unread-count" aria-label={`${item.unread} unread`}>
                {item.unread > 99 ? "99+" : item.unread}
              </span>
            )}
            <span className="text-sm text-gray-600">
              {item.contactName} · {item.botName} · {item.channel} · {item.messageCount} messages
            </span>
            <span className="ml-auto text-sm text-gray-500">
              <RelativeTime iso={item.lastMessageAt} />
            </span>
            {item.needsHumanNote && <span className="basis-full text-sm text-amber-900">{item.needsHumanNote}</span>}
          </Link>
        </li>
      ))}
    </ul>
  );
}
