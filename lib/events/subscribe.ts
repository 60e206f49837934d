import "server-only";
import { prisma } from "@/lib/db";
import { sealPosition } from "@/lib/sealed-position";
import { env } from "@/lib/env";
import type { EventTransport } from "@/lib/events/notice";
import { deliverSignal } from "@/lib/events/signal-listeners";
import { getEventTransport } from "@/lib/events/transport";
import type { ConversationEvent } from "@/lib/events/types";

type Subscriber = () => void;

// One receiver per process serves every open stream: a wake-up says which conversation changed,
// and each of its subscribers then reads the new events from the table.
const globalForEvents = globalThis as unknown as {
  switchboardSubscribers?: Map<string, Set<Subscriber>>;
  switchboardListening?: { transport: EventTransport; started: Promise<() => Promise<void>> };
  switchboardPoll?: { timer: NodeJS.Timeout | null; lastSeen: Map<string, bigint> };
};
const subscribers = (globalForEvents.switchboardSubscribers ??= new Map());
const poll = (globalForEvents.switchboardPoll ??= { timer: null, lastSeen: new Map() });

function wakeConversation(conversationId: string) {
  for (const wake of subscribers.get(conversationId) ?? []) wake();
}

function wakeEverySubscriber() {
  for (const set of subscribers.values()) for (const wake of set) wake();
}

function ensureListening() {
  const transport = getEventTransport();
  const current = globalForEvents.switchboardListening;
  if (current?.transport === transport) return current.started;
  // The transport was replaced (tests, the benchmark): stop receiving from the old one.
  current?.started.then((stop) => stop(), () => {});
  const started = transport.receive({ onNotice: wakeConversation, onResync: wakeEverySubscriber, onSignal: deliverSignal });
  globalForEvents.switchboardListening = { transport, started };
  started.catch(() => {
    // Let the next subscriber try again.
    if (globalForEvents.switchboardListening?.started === started) globalForEvents.switchboardListening = undefined;
  });
  return started;
}

/** Resolves once this process receives wake-ups (starting the receiver if none runs yet); for readiness. */
export async function eventsReceiving(): Promise<void> {
  await ensureListening();
}

/**
 * The safety net under the wake-ups: a signal can be lost (a connection dropping between a
 * commit and its delivery, a Redis publish failing), and then a reader would wait for the next
 * event. While this process has subscribers it reads, every EVENTS_POLL_SECONDS (one query per
 * thousand watched conversations), the newest event id of each watched conversation, and wakes
 * those whose newest id changed.
 * Ids of one conversation commit in increasing order (lockConversation), so a changed newest id
 * is exactly "something new committed".
 */
function schedulePoll() {
  if (poll.timer || subscribers.size === 0) return;
  const timer = setTimeout(() => {
    void pollOnce()
      .catch((error: unknown) => console.error("Event safety poll failed", error))
      .finally(() => {
        // Cancelled (the last subscriber left) or replaced meanwhile: that one runs the schedule.
        if (poll.timer !== timer) return;
        poll.timer = null;
        schedulePoll();
      });
  }, env.EVENTS_POLL_SECONDS * 1000);
  timer.unref();
  poll.timer = timer;
}

async function pollOnce() {
  const watched = [...subscribers.keys()];
  for (let start = 0; start < watched.length; start += 1000) {
    const ids = watched.slice(start, start + 1000);
    const rows = await prisma.conversationEvent.groupBy({
      by: ["conversationId"],
      where: { conversationId: { in: ids } },
      _max: { id: true },
    });
    const newest = new Map(rows.map((row) => [row.conversationId, row._max.id ?? BigInt(0)]));
    for (const conversationId of ids) {
      const id = newest.get(conversationId) ?? BigInt(0);
      if (poll.lastSeen.get(conversationId) === id) continue;
      poll.lastSeen.set(conversationId, id);
      wakeConversation(conversationId);
    }
  }
  for (const conversationId of poll.lastSeen.keys()) if (!subscribers.has(conversationId)) poll.lastSeen.delete(conversationId);
}

/** The conversation's events after `afterId`, oldest first. */
export async function readEventsAfter(conversationId: string, afterId: bigint, limit = 500): Promise<ConversationEvent[]> {
  const rows = await prisma.conversationEvent.findMany({
    where: { conversationId, id: { gt: afterId } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, type: true, data: true },
  });
  return rows.map((row) => ({
    ...(row.data as object),
    type: row.type,
    id: row.id.toString(),
    conversationId,
  })) as ConversationEvent[];
}

/** The newest event id of a conversation (0 when none), sealed: where a page rendered now starts listening. */
export async function latestEventId(conversationId: string): Promise<string> {
  const row = await prisma.conversationEvent.findFirst({
    where: { conversationId },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return sealPosition(row?.id ?? BigInt(0));
}

/**
 * Calls `wake` whenever an event is published for the conversation, in any instance, and also
 * when wake-ups may have been lost (a reconnect, the safety poll): `wake` rereads, never trusts a count.
 */
export async function watchConversation(conversationId: string, wake: Subscriber): Promise<() => void> {
  await ensureListening();
  let set = subscribers.get(conversationId);
  if (!set) subscribers.set(conversationId, (set = new Set()));
  set.add(wake);
  schedulePoll();
  return () => {
    set.delete(wake);
    if (set.size === 0 && subscribers.get(conversationId) === set) subscribers.delete(conversationId);
    if (subscribers.size === 0 && poll.timer) {
      clearTimeout(poll.timer);
      poll.timer = null;
      poll.lastSeen.clear();
    }
  };
}
