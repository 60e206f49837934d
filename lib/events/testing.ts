/**
 * Helpers for the events tests: a reader that keeps collecting a conversation's SSE stream, and
 * posting a message the way the app does (appendMessage in prisma.$transaction).
 */
import { Redis } from "ioredis";
import { prisma } from "@/lib/db";
import { conversationEventStream } from "@/lib/events/sse";
import { watchConversation } from "@/lib/events/subscribe";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { appendMessage } from "@/lib/messages/append";

export async function postMessage(conversationId: string, text: string) {
  return prisma.$transaction((tx) => appendMessage(tx, { conversationId, role: "CONTACT", text }));
}

export type StreamedEvent = { id: string; text: string; at: number };

/** Opens conversationEventStream after `afterId` and collects its message events as they come. */
export function openEventReader(conversationId: string, afterId = BigInt(0)) {
  const controller = new AbortController();
  const request = new Request("http://localhost/events", { signal: controller.signal });
  const response = conversationEventStream(request, conversationId, { afterId });
  const events: StreamedEvent[] = [];
  const waiters = new Set<() => void>();
  const reader = readSseFrames(response, (frame) => {
    const { frames } = takeMessageFrames(`${frame}\n\n`);
    for (const each of frames) events.push({ ...each, at: performance.now() });
    for (const wake of waiters) wake();
  });
  return {
    events,
    /** Resolves once `count` events arrived; rejects after `timeoutMs`. */
    waitFor(count: number, timeoutMs: number) {
      return new Promise<StreamedEvent[]>((resolve, reject) => {
        const check = () => {
          if (events.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(events.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Only ${events.length} of ${count} events within ${timeoutMs} ms: ${events.map((event) => event.text).join(", ")}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      controller.abort();
      void reader.cancel().catch(() => {});
    },
  };
}

/**
 * Reads an SSE response in the background and hands each complete frame (without its blank
 * line) to `onFrame`, until the stream ends. Returns the reader, to cancel it.
 */
export function readSseFrames(response: Response, onFrame: (frame: string) => void) {
  const reader = response.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        onFrame(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  })();
  return reader;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Redis the transport tests use (TEST_REDIS_URL, else the machine's own). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Whether a Redis answers at `url` within a second (the Redis tests skip, saying why, otherwise). */
export function isRedisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 1_000 });
    probe.on("error", () => {});
    probe.connect().then(
      () => resolve(true),
      () => resolve(false),
    ).finally(() => probe.disconnect());
  });
}

/** The complete message events at the start of an SSE text (id and message text), and what is left. */
export function takeMessageFrames(buffer: string): { frames: { id: string; text: string }[]; rest: string } {
  const frames: { id: string; text: string }[] = [];
  let rest = buffer;
  let end: number;
  while ((end = rest.indexOf("\n\n")) >= 0) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    const id = /^id: (.*)$/m.exec(frame)?.[1];
    const data = /^data: (.*)$/m.exec(frame)?.[1];
    if (id && data) frames.push({ id, text: JSON.parse(data).message.text });
  }
  return { frames, rest };
}

/**
 * A new conversation with a live reader and a watcher, once the reader has seen a first message
 * ("before"): the starting point of the reconnect tests. Stops both through `cleanups`.
 */
export async function watchedConversation(cleanups: (() => unknown)[]) {
  const { bot } = await createOrganization();
  const { conversation } = await createConversation(bot.id, []);
  const wakes: number[] = [];
  cleanups.push(await watchConversation(conversation.id, () => wakes.push(performance.now())));
  const reader = openEventReader(conversation.id);
  cleanups.push(reader.close);
  await postMessage(conversation.id, "before");
  await reader.waitFor(1, 5_000);
  return { conversation, wakes, reader };
}
