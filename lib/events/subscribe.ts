import "server-only";
import { getDatabase, prisma } from "@/lib/db";
import { EVENTS_CHANNEL, type ConversationEvent } from "@/lib/events/types";

type Subscriber = () => void;

// One LISTEN per process serves every open stream: NOTIFY says which conversation changed, and
// each of its subscribers then reads the new events from the table.
const globalForEvents = globalThis as unknown as {
  switchboardSubscribers?: Map<string, Set<Subscriber>>;
  switchboardListening?: Promise<unknown>;
};
const subscribers = (globalForEvents.switchboardSubscribers ??= new Map());

function ensureListening() {
  globalForEvents.switchboardListening ??= getDatabase()
    .listen(EVENTS_CHANNEL, (payload) => {
      try {
        const { conversationId } = JSON.parse(payload) as { conversationId: string };
        for (const wake of subscribers.get(conversationId) ?? []) wake();
      } catch {
        // Not ours; ignore.
      }
    })
    .catch((error: unknown) => {
      globalForEvents.switchboardListening = undefined;
      throw error;
    });
  return globalForEvents.switchboardListening;
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

/** The newest event id of a conversation (0 when none), where a page rendered now starts listening. */
export async function latestEventId(conversationId: string): Promise<string> {
  const row = await prisma.conversationEvent.findFirst({
    where: { conversationId },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return (row?.id ?? BigInt(0)).toString();
}

/** Calls `wake` whenever an event is published for the conversation, in any instance. */
export async function watchConversation(conversationId: string, wake: Subscriber): Promise<() => void> {
  await ensureListening();
  let set = subscribers.get(conversationId);
  if (!set) subscribers.set(conversationId, (set = new Set()));
  set.add(wake);
  return () => {
    set.delete(wake);
    if (set.size === 0) subscribers.delete(conversationId);
  };
}
