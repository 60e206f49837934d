/**
 * What every Server-Sent Events stream of the app shares (lib/events/sse.ts): one heartbeat timer
 * for all open streams, and a bounded queue for a reader that does not keep up.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliverSignal } from "@/lib/events/signal-listeners";
import { conversationSignalStream } from "@/lib/events/signals";
import { conversationEventStream } from "@/lib/events/sse";
import { postMessage, sleep, takeMessageFrames } from "@/lib/events/testing";
import type { ConversationSignal } from "@/lib/events/types";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

process.env.EVENTS_POLL_SECONDS = "3600";

const typing = (name: string): ConversationSignal => ({ type: "typing", from: "operator", typing: true, name });

/** A typing stream of the conversation whose text is collected as it comes, until closed. */
function openTypingReader(conversationId: string) {
  const controller = new AbortController();
  const response = conversationSignalStream(new Request("http://localhost/typing", { signal: controller.signal }), conversationId, {
    pick: (signal) => signal.from === "operator",
    accept: async () => true,
  });
  const reader = response.body!.getReader();
  const stream = { text: "", close: () => controller.abort() };
  void (async () => {
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) return;
      stream.text += decoder.decode(value, { stream: true });
    }
  })();
  return stream;
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(10);
  }
}

describe("server-sent event streams", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("keeps every open stream alive with one shared heartbeat timer, stopped when the last stream closes", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const timersBefore = vi.getTimerCount();
    const streams = [openTypingReader(conversation.id), openTypingReader(conversation.id), openTypingReader(conversation.id)];
    try {
      // Each stream hears a signal: all three are listening (and have set up their heartbeat).
      await until(() => {
        deliverSignal({ conversationId: conversation.id, signal: typing("Dana") });
        return streams.every((stream) => stream.text.includes("Dana"));
      });
      expect(vi.getTimerCount() - timersBefore).toBe(1);

      vi.advanceTimersByTime(15_000);
      await until(() => streams.every((stream) => stream.text.includes(": keep-alive\n\n")));

      streams[0].close();
      streams[1].close();
      expect(vi.getTimerCount() - timersBefore).toBe(1);
      streams[2].close();
      expect(vi.getTimerCount() - timersBefore).toBe(0);
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("cuts a stream whose reader lets more than a megabyte pile up, instead of buffering without bound", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const controller = new AbortController();
    const response = conversationSignalStream(new Request("http://localhost/typing", { signal: controller.signal }), conversation.id, {
      pick: () => true,
      accept: async () => true,
    });
    try {
      // Nobody reads while about 3 MB of signals arrive.
      await sleep(200);
      const name = "n".repeat(1000);
      for (let index = 0; index < 3000; index++) deliverSignal({ conversationId: conversation.id, signal: typing(name) });
      await sleep(200);

      const reader = response.body!.getReader();
      let received = 0;
      const outcome = await (async () => {
        try {
          for (;;) {
            const next = await Promise.race([reader.read(), sleep(2_000).then(() => "still open" as const)]);
            if (next === "still open") return next;
            if (next.done) return "ended";
            received += next.value.byteLength;
          }
        } catch {
          return "cut";
        }
      })();
      expect(outcome).not.toBe("still open");
      expect(received).toBeLessThan(1024 * 1024);
    } finally {
      controller.abort();
    }
  });

  it("gives a conversation reader that fell far behind every event, in order, once it reads again", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const controller = new AbortController();
    const response = conversationEventStream(new Request("http://localhost/events", { signal: controller.signal }), conversation.id, {
      afterId: BigInt(0),
    });
    try {
      await sleep(200);
      // About 2 MB of messages, more than a stream may hold for its reader.
      const texts = Array.from({ length: 32 }, (_, index) => `${index} ${"m".repeat(64 * 1024)}`);
      for (const text of texts) await postMessage(conversation.id, text);
      await sleep(500);

      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      const received: string[] = [];
      while (received.length < texts.length) {
        const next = await Promise.race([reader.read(), sleep(10_000).then(() => null)]);
        if (!next || next.done) break;
        buffer += decoder.decode(next.value, { stream: true });
        const { frames, rest } = takeMessageFrames(buffer);
        buffer = rest;
        received.push(...frames.map((frame) => frame.text));
      }
      expect(received.map((text) => text.split(" ")[0])).toEqual(texts.map((text) => text.split(" ")[0]));
    } finally {
      controller.abort();
    }
  });
});
