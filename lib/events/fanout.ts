import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readEventsAfter, watchConversation } from "@/lib/events/subscribe";
import { getEventTransport } from "@/lib/events/transport";
import type { ConversationEvent } from "@/lib/events/types";

/**
 * How many of a conversation's newest events a process keeps for its open streams: one full read,
 * so a conversation that short is served whole from memory to every stream that replays it.
 */
const WINDOW = 500;
/** The most events one `read` returns; a stream that gets this many reads on. */
export const EVENTS_PER_READ = 500;

/**
 * One conversation as this process's open streams see it: a wake-up bumps `generation`, and the
 * first stream to read after it reads the table once for everyone (single flight); the others are
 * served from `events`, the newest events, all of those after `covered`.
 */
type Watched = {
  streams: Set<() => void>;
  generation: number;
  loadedGeneration: number;
  covered: bigint | null;
  newest: bigint | null;
  events: ConversationEvent[];
  refreshing: Promise<void> | null;
  unwatch: Promise<() => void> | null;
  /** Per-generation answers shared by the streams (a share's access check). */
  checks: Map<string, { generation: number; answer: Promise<boolean> }>;
  /** Reads of events from before `covered` under way, by where they start: streams resuming together share one. */
  backlogReads: Map<bigint, Promise<ConversationEvent[]>>;
};

const globalForFanout = globalThis as unknown as { switchboardFanout?: Map<string, Watched> };
const watched = (globalForFanout.switchboardFanout ??= new Map<string, Watched>());

function wake(state: Watched) {
  state.generation++;
  for (const stream of state.streams) stream();
}

async function refresh(conversationId: string, state: Watched): Promise<void> {
  if (state.refreshing) return state.refreshing;
  state.refreshing = (async () => {
    // A wake-up during the read may or may not be in it: it bumps the generation, and the next read refreshes again.
    const generation = state.generation;
    for (;;) {
      const fresh = await readEventsAfter(conversationId, state.newest ?? state.covered ?? BigInt(0), EVENTS_PER_READ);
      if (fresh.length > 0) {
        state.events.push(...fresh);
        state.newest = BigInt(fresh[fresh.length - 1].id);
        const excess = state.events.length - WINDOW;
        if (excess > 0) state.covered = BigInt(state.events.splice(0, excess)[excess - 1].id);
      }
      if (fresh.length < EVENTS_PER_READ) break;
    }
    state.loadedGeneration = generation;
  })().finally(() => {
    state.refreshing = null;
  });
  return state.refreshing;
}

/** The index of the first event with an id above `afterId` (events are in id order). */
function firstAfter(events: ConversationEvent[], afterId: bigint): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (BigInt(events[middle].id) > afterId) high = middle;
    else low = middle + 1;
  }
  return low;
}

function readBacklog(conversationId: string, state: Watched, afterId: bigint): Promise<ConversationEvent[]> {
  let reading = state.backlogReads.get(afterId);
  if (!reading) {
    reading = readEventsAfter(conversationId, afterId, EVENTS_PER_READ);
    state.backlogReads.set(afterId, reading);
    const done = () => state.backlogReads.delete(afterId);
    reading.then(done, done);
  }
  return reading;
}

/**
 * Subscribes a stream to a conversation's wake-ups, through one watcher per conversation per
 * process. Use `read` to get the events after a position: one query per wake-up per conversation
 * serves every stream, however many watch it.
 */
export async function joinConversation(conversationId: string, onWake: () => void) {
  let state = watched.get(conversationId);
  if (!state) {
    state = {
      streams: new Set(),
      generation: 1,
      loadedGeneration: 0,
      covered: null,
      newest: null,
      events: [],
      refreshing: null,
      unwatch: null,
      checks: new Map(),
      backlogReads: new Map(),
    };
    watched.set(conversationId, state);
  }
  const current = state;
  current.streams.add(onWake);
  current.unwatch ??= watchConversation(conversationId, () => wake(current));
  const unwatch = current.unwatch;
  try {
    await unwatch;
  } catch (error) {
    leave();
    throw error;
  }

  function leave() {
    current.streams.delete(onWake);
    if (current.streams.size > 0 || watched.get(conversationId) !== current) return;
    watched.delete(conversationId);
    void unwatch.then((stop) => stop(), () => {});
  }

  return {
    /** The conversation's events after `afterId`, oldest first. */
    async read(afterId: bigint): Promise<ConversationEvent[]> {
      if (current.covered === null) {
        // The first stream's starting point becomes the window's start.
        current.covered = afterId;
        current.newest = afterId;
      }
      if (current.loadedGeneration !== current.generation) await refresh(conversationId, current);
      // A stream resuming from before the window reads its backlog (once, when it opens), with
      // any other stream resuming from the same place at the same time.
      if (afterId < current.covered!) return readBacklog(conversationId, current, afterId);
      const first = firstAfter(current.events, afterId);
      return current.events.slice(first, first + EVENTS_PER_READ);
    },
    /**
     * `check()`'s answer, computed once per wake-up for every stream that asks under the same
     * `key` (a share link and its kind of viewer): a revoked link is seen by the event that
     * announces it, not by each stream polling.
     */
    checkOnce(key: string, check: () => Promise<boolean>): Promise<boolean> {
      const cached = current.checks.get(key);
      if (cached && cached.generation === current.generation) return cached.answer;
      const answer = check();
      current.checks.set(key, { generation: current.generation, answer });
      answer.catch(() => current.checks.delete(key));
      return answer;
    },
    leave,
  };
}

/**
 * Wakes the conversation's readers in every instance once the caller's transaction commits,
 * without an event of its own: a share's access changed (revoked, its settings edited), so its
 * open streams check again now and end if the link no longer opens.
 */
export async function announceAccessChange(tx: Prisma.TransactionClient, conversationId: string): Promise<void> {
  await getEventTransport().announce(tx, { conversationId, id: "0" });
}
