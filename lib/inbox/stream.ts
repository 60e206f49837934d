import "server-only";
import type { UserActor } from "@/lib/auth/actor";
import { env } from "@/lib/env";
import { eventStreamResponse } from "@/lib/events/sse";
import { changedConversationIds, findInboxItemForMember } from "@/lib/inbox/queries";
import { watchAllConversations } from "@/lib/inbox/wake-ups";

/** How far back the safety poll looks beyond its last pass (clocks of instances and commits lag). */
const POLL_OVERLAP_MS = 5_000;

/**
 * A member's inbox as Server-Sent Events: an `conversation` event with the list row (lib/inbox/view.ts)
 * whenever a conversation of `organizationIds` changes (a message, a control change, a request for
 * a person). Each row is read for this member at send time through their current membership, so
 * nothing reaches someone who has left the organization. A `ready` event opens the stream; a
 * browser that reconnects reloads its list (rows are state, not a log: nothing to replay).
 */
export function inboxEventStream(request: Request, actor: UserActor, organizationIds: string[]): Response {
  return eventStreamResponse(request, {
    retryMs: 1000,
    endOnDraining: true,
    start: async (sink) => {
      const pending = new Set<string>();
      let flushing: Promise<void> | null = null;
      let lastPoll = new Date();
      // Sends the rows of every changed conversation; changes arriving meanwhile join the next round.
      const flush = (): Promise<void> => {
        flushing ??= (async () => {
          while (pending.size > 0 && !sink.closed) {
            const ids = [...pending];
            pending.clear();
            for (const id of ids) {
              const item = await findInboxItemForMember(actor, organizationIds, id);
              if (item) sink.send(`event: conversation\ndata: ${JSON.stringify(item)}\n\n`);
            }
          }
        })().finally(() => {
          flushing = null;
        });
        return flushing;
      };
      const changed = (conversationId: string) => {
        pending.add(conversationId);
        void flush().catch(sink.close);
      };
      // The safety net under lost wake-ups, and what a resync (a reconnected listener) runs now.
      const poll = async () => {
        const since = new Date(lastPoll.getTime() - POLL_OVERLAP_MS);
        lastPoll = new Date();
        for (const id of await changedConversationIds(actor, organizationIds, since)) changed(id);
      };
      const unwatch = await watchAllConversations({ onChange: changed, onResync: () => void poll().catch(sink.close) });
      const safetyPoll = setInterval(() => void poll().catch(sink.close), env.EVENTS_POLL_SECONDS * 1000);
      sink.send("event: ready\ndata: {}\n\n");
      return () => {
        unwatch();
        clearInterval(safetyPoll);
      };
    },
  });
}
