import "server-only";
import { EVENTS_PER_READ, joinConversation } from "@/lib/events/fanout";
import { onDraining } from "@/lib/health/draining";
import { openPosition, sealPosition } from "@/lib/sealed-position";
import type { ConversationEvent } from "@/lib/events/types";

const HEARTBEAT_MS = 15_000;
/** What a stream queues before its producer is asked to wait (`writable()`). */
const HIGH_WATER_BYTES = 64 * 1024;
/**
 * What a stream may hold for a reader that does not keep up (a stalled connection, a phone gone
 * to sleep) before it is cut: the browser reconnects and resumes, rather than the server holding
 * every frame for it.
 */
export const MAX_QUEUED_BYTES = 1024 * 1024;

const encoder = new TextEncoder();
const KEEP_ALIVE = encoder.encode(": keep-alive\n\n");

/** Where a stream's producer writes. */
export type EventSink = {
  /** Queues a frame; does nothing once the stream has ended. A reader that lets more than MAX_QUEUED_BYTES pile up is cut. */
  send: (frame: string | Uint8Array) => void;
  /** Resolves once the reader has taken most of what is queued, or the stream has ended. */
  writable: () => Promise<void>;
  /** Ends the stream; the reader still gets what was queued. */
  close: () => void;
  readonly closed: boolean;
};

/** How a stream starts and what it does on the way. */
export type EventStreamOptions = {
  /** The reconnect delay told to the browser, in milliseconds. */
  retryMs: number;
  /**
   * Whether the stream ends when this instance starts shutting down, with a random reconnect
   * delay that spreads its browsers' reconnects (through the balancer, to another instance).
   */
  endOnDraining?: boolean;
  /**
   * Starts producing into the sink; resolves to what stops it, called once when the stream ends
   * (the reader left, it was cut, `close()`). Failing ends the stream.
   */
  start: (sink: EventSink) => Promise<() => void>;
};

// One heartbeat timer for every open stream of the process, running only while one is open: a
// timer per stream costs memory and a wake-up each, for the same comment line. On globalThis
// because Next may load this module in more than one bundle.
const globalForStreams = globalThis as unknown as { switchboardOpenStreams?: { sinks: Set<EventSink>; heartbeat: NodeJS.Timeout | null } };
const open = (globalForStreams.switchboardOpenStreams ??= { sinks: new Set(), heartbeat: null });

function keepAlive(sink: EventSink) {
  open.sinks.add(sink);
  open.heartbeat ??= setInterval(() => {
    for (const each of open.sinks) each.send(KEEP_ALIVE);
  }, HEARTBEAT_MS);
}

function stopKeepingAlive(sink: EventSink) {
  open.sinks.delete(sink);
  if (open.sinks.size > 0 || !open.heartbeat) return;
  clearInterval(open.heartbeat);
  open.heartbeat = null;
}

/**
 * A Server-Sent Events response: sends the reconnect delay, keeps the connection alive through
 * proxies with the shared heartbeat, bounds what it queues for a slow reader, and ends (stopping
 * its producer) when the reader leaves, on `close()`, or when this instance drains.
 */
export function eventStreamResponse(request: Request, { retryMs, endOnDraining = false, start }: EventStreamOptions): Response {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let stopProducing: (() => void) | null = null;
  let stopDrainWatch = () => {};
  let waiting: (() => void)[] = [];
  const resumeWriters = () => {
    for (const resume of waiting) resume();
    waiting = [];
  };
  const end = (finish: () => void) => {
    if (closed) return;
    closed = true;
    stopKeepingAlive(sink);
    request.signal.removeEventListener("abort", close);
    stopDrainWatch();
    stopProducing?.();
    resumeWriters();
    try {
      finish();
    } catch {
      // Already closed by the client.
    }
  };
  const close = () => end(() => controller.close());
  const sink: EventSink = {
    get closed() {
      return closed;
    },
    send(frame) {
      if (closed) return;
      controller.enqueue(typeof frame === "string" ? encoder.encode(frame) : frame);
      const queued = HIGH_WATER_BYTES - (controller.desiredSize ?? 0);
      // Erroring drops the queue at once (closing would keep it for a reader that is not reading).
      if (queued > MAX_QUEUED_BYTES) end(() => controller.error(new Error("The reader fell too far behind.")));
    },
    writable() {
      if (closed || (controller.desiredSize ?? 0) > 0) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    },
    close,
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull: resumeWriters,
      cancel: close,
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );
  sink.send(`retry: ${retryMs}\n\n`);
  keepAlive(sink);
  request.signal.addEventListener("abort", close);
  if (endOnDraining) {
    stopDrainWatch = onDraining(() => {
      sink.send(`retry: ${500 + Math.floor(Math.random() * 1000)}\n\n`);
      close();
    });
  }
  start(sink).then((stop) => {
    if (closed) stop();
    else stopProducing = stop;
  }, close);
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "private, no-store, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}

/**
 * The event id to resume after: the browser's Last-Event-ID on reconnect, else `?after=`; both
 * are sealed ids this server sent (lib/sealed-position.ts). Anything else starts from the beginning.
 */
export function resumeAfter(request: Request): bigint {
  const value = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("after") ?? "";
  return openPosition(value) ?? BigInt(0);
}

// An event's frame is the same bytes for every stream that shows it unchanged: made once.
const frames = new WeakMap<ConversationEvent, Uint8Array>();

function frameOf(event: ConversationEvent, visible: ConversationEvent): Uint8Array {
  const cached = visible === event ? frames.get(event) : undefined;
  if (cached) return cached;
  // The id leaves the server sealed, and the conversation's internal id not at all.
  const { conversationId: _internal, ...shown } = visible;
  const id = sealPosition(BigInt(event.id));
  const frame = encoder.encode(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify({ ...shown, id })}\n\n`);
  if (visible === event) frames.set(event, frame);
  return frame;
}

/**
 * A Server-Sent Events stream of a conversation's events after `afterId`. `accept` is checked
 * before each batch (a share can be revoked while someone watches); returning false ends the
 * stream. Streams that pass the same `acceptKey` share one `accept` per wake-up. `project` maps
 * an event to what this reader may see, or null to skip it. Every stream of a conversation in
 * this process is served by one read per wake-up (lib/events/fanout.ts). A reader that falls
 * behind is not pushed to: its stream reads on when the reader has caught up.
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
  return eventStreamResponse(request, {
    retryMs: 1000,
    endOnDraining: true,
    start: async (sink) => {
      let lastId = afterId;
      let draining: Promise<void> | null = null;
      let again = false;
      // Reads everything new; wake-ups that arrive meanwhile trigger one more read.
      const drain = (): Promise<void> => {
        if (draining) {
          again = true;
          return draining;
        }
        draining = (async () => {
          do {
            again = false;
            if (!(await (acceptKey ? feed.checkOnce(acceptKey, accept) : accept()))) return sink.close();
            for (;;) {
              await sink.writable();
              if (sink.closed) return;
              const events = await feed.read(lastId);
              const batch: Uint8Array[] = [];
              for (const event of events) {
                lastId = BigInt(event.id);
                const visible = project(event);
                if (visible) batch.push(frameOf(event, visible));
              }
              if (batch.length > 0) sink.send(batch.length === 1 ? batch[0] : Buffer.concat(batch));
              if (events.length < EVENTS_PER_READ) break;
            }
          } while (again && !sink.closed);
        })().finally(() => {
          draining = null;
        });
        return draining;
      };
      // A wake-up before joining finished is covered by the first drain below.
      let joined = false;
      const feed = await joinConversation(conversationId, () => void (joined && drain().catch(sink.close)));
      joined = true;
      void drain().catch(sink.close);
      return feed.leave;
    },
  });
}
