/**
 * Many viewers of one conversation cost the database the same as one: a new event is read once
 * per process and fanned out in memory, and a share's access is checked once per wake-up, not
 * once per open stream. Counted in statements, not timed.
 */
import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { conversationEventStream } from "@/lib/events/sse";
import { postMessage, sleep, takeMessageFrames } from "@/lib/events/testing";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { openShare } from "@/lib/shares/public";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { logStatements } from "@/lib/testing/statement-log";

process.env.EVENTS_POLL_SECONDS = "3600";
const statements = logStatements();

const VIEWERS = 50;

/** A stream that collects message texts and notes when it ends. */
function openViewer(conversationId: string, options: Partial<Parameters<typeof conversationEventStream>[2]> = {}) {
  const controller = new AbortController();
  const response = conversationEventStream(new Request("http://localhost/events", { signal: controller.signal }), conversationId, {
    afterId: BigInt(0),
    ...options,
  });
  const viewer = { texts: [] as string[], opened: false, ended: false, close: () => controller.abort() };
  void (async () => {
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (done) break;
      viewer.opened = true;
      buffer += decoder.decode(value, { stream: true });
      const { frames, rest } = takeMessageFrames(buffer);
      buffer = rest;
      viewer.texts.push(...frames.map((frame) => frame.text));
    }
    viewer.ended = true;
  })();
  return viewer;
}

async function until(condition: () => boolean, timeoutMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error("timed out");
    await sleep(20);
  }
}

const eventReads = () => statements.filter((sql) => /FROM "public"\."ConversationEvent"/.test(sql) && /^SELECT/.test(sql.trim())).length;

describe("fan-out of one conversation's events to many streams", () => {
  it(`reads a new event once for ${VIEWERS} streams and checks access once per wake-up`, async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    let checks = 0;
    const accept = async () => {
      checks++;
      return true;
    };
    const viewers = Array.from({ length: VIEWERS }, () => openViewer(conversation.id, { accept, acceptKey: "anonymous" }));
    try {
      await until(() => viewers.every((viewer) => viewer.opened));
      await sleep(200);
      statements.length = 0;
      checks = 0;

      await postMessage(conversation.id, "hello everyone");
      await until(() => viewers.every((viewer) => viewer.texts.includes("hello everyone")));

      expect(eventReads()).toBeGreaterThanOrEqual(1);
      expect(eventReads()).toBeLessThanOrEqual(2);
      expect(checks).toBeLessThanOrEqual(2);
      expect(viewers.every((viewer) => viewer.texts.join() === "hello everyone")).toBe(true);
    } finally {
      for (const viewer of viewers) viewer.close();
    }
  });

  it("ends every open stream of a revoked link at once, with no new message, checking the link once", async () => {
    const org = await createOrganization();
    const { conversation } = await createConversation(org.bot.id, []);
    const { share } = await createShare(org.owner.actor, { conversationId: conversation.id, settings: {}, regenerate: true });
    let checks = 0;
    const accept = async () => {
      checks++;
      return (await openShare(share.publicId, ANONYMOUS)) !== null;
    };
    const viewers = Array.from({ length: VIEWERS }, () => openViewer(conversation.id, { accept, acceptKey: `share:${share.publicId}:anonymous` }));
    try {
      await until(() => viewers.every((viewer) => viewer.opened));
      await sleep(200);
      checks = 0;

      await revokeShare(org.owner.actor, { shareId: share.id });
      await until(() => viewers.every((viewer) => viewer.ended), 5_000);

      expect(checks).toBeLessThanOrEqual(2);
    } finally {
      for (const viewer of viewers) viewer.close();
    }
  });

  it("still gives a stream resuming from long ago its whole backlog, in order", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const live = openViewer(conversation.id);
    try {
      await until(() => live.opened);
      for (const text of ["one", "two", "three"]) await postMessage(conversation.id, text);
      await until(() => live.texts.length === 3);
      const late = openViewer(conversation.id);
      await until(() => late.texts.length === 3);
      expect(late.texts).toEqual(["one", "two", "three"]);
      late.close();
    } finally {
      live.close();
    }
  });

  it("reads once for streams that resume together from before what the process holds of the conversation", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    for (const text of ["one", "two", "three"]) await postMessage(conversation.id, text);
    const newest = await prisma.conversationEvent.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: { id: "desc" } });
    // The process holds the conversation from its newest event on, for a page opened now.
    const live = openViewer(conversation.id, { afterId: newest.id });
    const late: ReturnType<typeof openViewer>[] = [];
    try {
      await until(() => live.opened);
      await sleep(200);
      statements.length = 0;

      late.push(...Array.from({ length: 20 }, () => openViewer(conversation.id)));
      await until(() => late.every((viewer) => viewer.texts.length === 3));

      expect(late.every((viewer) => viewer.texts.join() === "one,two,three")).toBe(true);
      expect(eventReads()).toBeLessThanOrEqual(2);
    } finally {
      live.close();
      for (const viewer of late) viewer.close();
    }
  });
});
