import "server-only";
import { joinConversation } from "@/lib/events/fanout";
import { onDraining } from "@/lib/health/draining";
import { openPosition, sealPosition } from "@/lib/sealed-position";
import type { ConversationEvent } from "@/lib/events/types";

const HEARTBEAT_MS = 15_000;

type Feed = Awaited<ReturnType<typeof joinConversation>>;

/**
 * The event id to resume after: the browser's Last-Event-ID on reconnect, else `?after=`; both
 * are sealed ids this server sent (lib/sealed-position.ts). Anything else starts from the beginning.
 */
export function resumeAfter(request: Request): bigint {
  const value = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "";
  return openPosition(value) ?? BigInt(0);
}

/**
 * A Server-Sent Events stream of a conversation's events after `afterId`. `accept` is checked
 * before each batch (a share can be revoked while someone watches); returning false ends the
 * stream. Streams that pass the same `acceptKey` share one `accept` per wake-up. `project` maps
 * an event to what this reader may see, or null to skip it. Every stream of a conversation in
 * this process is served by one read per wake-up (lib/events/fanout.ts).
 */
export function conversationEventStream(
  request: Request,
  conversationId: string,
  {
    afterId,
    accept = async () => true,
    acceptKey,
    project = (event) => event,
  }: {
    afterId: bigint;
    accept?: () => Promise<boolean>;
    acceptKey?: string;
    project?: (event: ConversationEvent) => ConversationEvent | null;
  },
): Response {
  const encoder = new TextEncoder();
  let lastId = afterId;
  let stop = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      let draining: Promise<void> | null = null;
      let again = false;
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
      // Reads everything new; wake-ups that arrive meanwhile trigger one more read.
      const drain = async () => {
        if (draining) {
          again = true;
          return draining;
        }
        draining = (async () => {
          do {
            again = false;
            if (!(await (acceptKey ? feed.checkOnce(acceptKey, accept) : accept()))) return close();
            for (const event of await feed.read(lastId)) {
              lastId = BigInt(event.id);
              const visible = project(event);
              if (visible) {
                // The id leaves the server sealed, and the conversation's internal id not at all.
                const { conversationId: _internal, ...shown } = visible;
                const id = sealPosition(BigInt(event.id));
                send(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...shown, id })}\n\n`);
              }
            }
          } while (again && !closed);
        })().finally(() => {
          draining = null;
        });
        return draining;
      };
      send("retry: 1000\n\n");
      // A wake-up before joining finished is covered by the first drain below.
      let joined: Feed | null = null;
      const feed = (joined = await joinConversation(conversationId, () => void (joined && drain().catch(close))));
      const unwatch = feed.leave;
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), HEARTBEAT_MS);
      let stopDrainWatch = () => {};
      stop = () => {
        unwatch();
        clearInterval(heartbeat);
        stopDrainWatch();
      };
      // This instance is shutting down: end the stream so the browser reconnects (through the
      // balancer, to another instance) and resumes after its Last-Event-ID. The random wait
      // spreads the reconnects of every stream of this instance.
      stopDrainWatch = onDraining(() => {
        send(`retry: ${500 + Math.floor(Math.random() * 1000)}\n\n`);
        close();
      });
      request.signal.addEventListener("abort", close);
      await drain().catch(close);
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
