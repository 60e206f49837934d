"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { notificationFor, notifyMember } from "@/components/inbox/notify";
import type { InboxItem } from "@/lib/inbox/view";

// One inbox stream per tab, opened by InboxStream in the signed-in layout (which stays mounted
// across pages), so notifications reach the member on any page; the conversation list listens
// to the same rows through useInboxRows.

type Listener = (item: InboxItem) => void;
const listeners = new Set<Listener>();

/** Calls `onItem` with every row the inbox stream sends while the component is mounted. */
export function useInboxRows(onItem: Listener) {
  const handler = useRef(onItem);
  useEffect(() => {
    handler.current = onItem;
  });
  useEffect(() => {
    const listener: Listener = (item) => handler.current(item);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}

/** Whether the member is looking at this conversation right now (no notification needed). */
function viewing(item: InboxItem) {
  return document.visibilityState === "visible" && window.location.pathname === `/conversations/${item.id}`;
}

/**
 * Follows the member's inbox stream and raises the notifications they opted in to. Rows are
 * state, not a log, so a reconnect (the server restarted, the network dropped) reloads the page's
 * data instead of replaying.
 */
export function InboxStream() {
  const router = useRouter();
  useEffect(() => {
    // Every row seen in this tab: what changed is told once.
    const known = new Map<string, InboxItem>();
    const source = new EventSource("/conversations/events");
    let opened = 0;
    source.addEventListener("ready", () => {
      opened += 1;
      if (opened > 1) router.refresh();
    });
    source.addEventListener("conversation", (message: MessageEvent<string>) => {
      const item = JSON.parse(message.data) as InboxItem;
      const notification = notificationFor(item, known.get(item.id));
      known.set(item.id, item);
      if (notification && !viewing(item)) notifyMember(item, notification);
      for (const listener of listeners) listener(item);
    });
    return () => source.close();
  }, [router]);
  return null;
}
