import "server-only";
import { addSignalListener } from "@/lib/events/signal-listeners";
import { eventsReceiving } from "@/lib/events/subscribe";
import { getEventTransport } from "@/lib/events/transport";
import type { ConversationSignal } from "@/lib/events/types";

// Ephemeral signals (typing) ride the event transport but skip the events table: no row, no id,
// no replay. A reader that is not connected when one is sent never sees it, which is what typing
// wants. The caller authorizes the sender (lib/presence/mutations.ts) and each stream's reader.

const HEARTBEAT_MS = 15_000;

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
  const encoder = new TextEncoder();
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        stop();
        try {
          controller.close();
        } catch {
          // Already closed by the client.
        }
      };
      const send = (text: string) => {
        if (!closed) controller.enqueue(encoder.encode(text));
      };
      send("retry: 2000\n\n");
      await eventsReceiving();
      const removeListener = addSignalListener(conversationId, (signal) => {
        if (!pick(signal)) return;
        void accept().then(
          (allowed) => (allowed ? send(`event: ${signal.type}\ndata: ${JSON.stringify(signal)}\n\n`) : close()),
          close,
        );
      });
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      stop = () => {
        removeListener();
        clearInterval(heartbeat);
      };
      request.signal.addEventListener("abort", close);
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "private, no-store, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
