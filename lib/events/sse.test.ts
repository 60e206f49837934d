import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { EventTransport } from "@/lib/events/notice";
import { createRedisTransport } from "@/lib/events/redis-transport";
import { conversationEventStream } from "@/lib/events/sse";
import { isRedisReachable, takeMessageFrames, TEST_REDIS_URL } from "@/lib/events/testing";
import { postgresNotifyTransport, setEventTransport } from "@/lib/events/transport";
import { appendMessage } from "@/lib/messages/append";
import { openPosition } from "@/lib/sealed-position";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

async function postMessage(conversationId: string, text: string) {
  return prisma.$transaction((tx) => appendMessage(tx, { conversationId, role: "CONTACT", text }));
}

/** Reads SSE frames until `count` events arrived; returns their ids and texts. */
async function readEvents(response: Response, count: number) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const events: { id: string; text: string }[] = [];
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const { frames, rest } = takeMessageFrames(buffer);
    buffer = rest;
    events.push(...frames);
  }
  await reader.cancel();
  return events;
}

function streamRequest(headers: Record<string, string> = {}) {
  const controller = new AbortController();
  return { request: new Request("http://localhost/events", { headers, signal: controller.signal }), abort: () => controller.abort() };
}

// The live suite runs on both transports: PostgreSQL NOTIFY (the default) and Redis pub/sub
// (EVENTS_URL), when a Redis answers. Only the transport delivers here, not the safety poll.
process.env.EVENTS_POLL_SECONDS = "3600";
const redisUrl = TEST_REDIS_URL;
const redisReachable = await isRedisReachable(redisUrl);
const transports: [string, () => EventTransport & { close?: () => Promise<void> }][] = [
  ["PostgreSQL NOTIFY", () => postgresNotifyTransport],
  ...(redisReachable
    ? [["Redis pub/sub", () => createRedisTransport(redisUrl, { channel: `switchboard_events_sse_${randomBytes(6).toString("hex")}` })] as [string, () => EventTransport]]
    : []),
];

describe.each(transports)("conversation event stream over %s", (_name, makeTransport) => {
  const transport = makeTransport();
  beforeAll(() => setEventTransport(transport));
  afterAll(async () => {
    setEventTransport(postgresNotifyTransport);
    await transport.close?.();
  });

  it("resumes after the Last-Event-ID, so a reconnecting reader misses nothing and sees nothing twice", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    await postMessage(conversation.id, "one");
    const firstEvent = await prisma.conversationEvent.findFirstOrThrow({ where: { conversationId: conversation.id } });
    await postMessage(conversation.id, "two");
    await postMessage(conversation.id, "three");

    const { request, abort } = streamRequest({ "last-event-id": firstEvent.id.toString() });
    const response = conversationEventStream(request, conversation.id, { afterId: firstEvent.id });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const events = await readEvents(response, 2);
    abort();
    expect(events.map((event) => event.text)).toEqual(["two", "three"]);
    // Event ids leave the server sealed (a global count would tell what others wrote meanwhile).
    expect(events[0].id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(openPosition(events[0].id)!).toBeGreaterThan(firstEvent.id);
  });

  it("delivers a message written after the reader connected", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const { request, abort } = streamRequest();
    const response = conversationEventStream(request, conversation.id, { afterId: BigInt(0) });
    const reading = readEvents(response, 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postMessage(conversation.id, "live now");
    const events = await reading;
    abort();
    expect(events.map((event) => event.text)).toEqual(["live now"]);
  });

  it("skips what the reader may not see and stops when access ends", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    await postMessage(conversation.id, "hidden");
    const { request, abort } = streamRequest();
    const response = conversationEventStream(request, conversation.id, {
      afterId: BigInt(0),
      accept: async () => false,
    });
    const text = await response.text();
    abort();
    expect(text).not.toContain("hidden");
  });
});
