import "server-only";
import type { EventTransport } from "@/lib/events/notice";
import { getEventTransport } from "@/lib/events/transport";

// Inbox streams need to hear of every conversation (the per-conversation streams of
// lib/events/subscribe.ts each watch one): one receiver per process, next to that one, hands
// every wake-up to every open inbox stream, which keeps those of its member's organizations.

type InboxWatcher = { onChange: (conversationId: string) => void; onResync: () => void };

const globalForInbox = globalThis as unknown as {
  switchboardInboxWatchers?: Set<InboxWatcher>;
  switchboardInboxListening?: { transport: EventTransport; started: Promise<() => Promise<void>> };
};
const watchers = (globalForInbox.switchboardInboxWatchers ??= new Set());

function ensureReceiving(): Promise<unknown> {
  const transport = getEventTransport();
  const current = globalForInbox.switchboardInboxListening;
  if (current?.transport === transport) return current.started;
  // The transport was replaced (tests): stop receiving from the old one.
  current?.started.then((stop) => stop(), () => {});
  const started = transport.receive({
    onNotice: (conversationId) => {
      for (const watcher of watchers) watcher.onChange(conversationId);
    },
    onResync: () => {
      for (const watcher of watchers) watcher.onResync();
    },
  });
  globalForInbox.switchboardInboxListening = { transport, started };
  started.catch(() => {
    if (globalForInbox.switchboardInboxListening?.started === started) globalForInbox.switchboardInboxListening = undefined;
  });
  return started;
}

/** Calls the watcher for every conversation change in any instance; returns a function that stops. */
export async function watchAllConversations(watcher: InboxWatcher): Promise<() => void> {
  await ensureReceiving();
  watchers.add(watcher);
  return () => {
    watchers.delete(watcher);
  };
}
