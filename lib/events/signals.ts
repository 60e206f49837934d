import "server-only";
import { addSignalListener } from "@/lib/events/signal-listeners";
import { eventStreamResponse } from "@/lib/events/sse";
import { eventsReceiving } from "@/lib/events/subscribe";
import { getEventTransport } from "@/lib/events/transport";
import type { ConversationSignal } from "@/lib/events/types";

// Ephemeral signals (typing) ride the event transport but skip the events table: no row, no id,
// no replay. A reader that is not connected when one is sent never sees it, which is what typing
// wants. The caller authorizes the sender (lib/presence/mutations.ts) and each stream's reader.

/** Sends a signal to every instance's listeners of the conversation. */
export async function sendConversationSignal(conversationId: string, signal: ConversationSignal): Promise<void> {
  await getEventTransport().signal({ conversationId, signal });
}

/**
 * A Server-Sent Events stream of the conversation's signals that `pick` lets through (anything
 * else is dropped). `accept` is asked before each one is sent (an operator's session may end
 * while the stream is open); false ends the stream. Frames carry no `id`, so a reconnecting
 * browser resumes nothing.
 */
export function conversationSignalStream(
  request: Request,
  conversationId: string,
  { pick, accept }: { pick: (signal: ConversationSignal) => boolean; accept: () => Promise<boolean> },
): Response {
  return eventStreamResponse(request, {
    retryMs: 2000,
    start: async (sink) => {
      await eventsReceiving();
      return addSignalListener(conversationId, (signal) => {
        if (!pick(signal)) return;
        void accept().then((allowed) => (allowed ? sink.send(`event: ${signal.type}\ndata: ${JSON.stringify(signal)}\n\n`) : sink.close()), sink.close);
      });
    },
  });
}
