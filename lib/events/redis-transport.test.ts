import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDatabase, prisma } from "@/lib/db";
import { createRedisTransport } from "@/lib/events/redis-transport";
import { isRedisReachable, openEventReader, postMessage, sleep, TEST_REDIS_URL, watchedConversation } from "@/lib/events/testing";
import { postgresNotifyTransport, setEventTransport } from "@/lib/events/transport";
import { EVENTS_CHANNEL } from "@/lib/events/types";
import { appendMessage } from "@/lib/messages/append";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

// Only the transport may deliver, not the safety poll.
process.env.EVENTS_POLL_SECONDS = "3600";

const redisUrl = TEST_REDIS_URL;
const redisReachable = await isRedisReachable(redisUrl);

// Unique per run: parallel runs on one Redis never hear each other.
const runId = randomBytes(6).toString("hex");
const channel = `switchboard_events_test_${runId}`;
const connectionName = `switchboard-events-test-${runId}`;

describe.runIf(redisReachable)(
  `Redis event transport (EVENTS_URL; skipped when no Redis answers at ${redisUrl}, set TEST_REDIS_URL)`,
  () => {
    const transport = createRedisTransport(redisUrl, {
      channel,
      connectionName,
      // A first retry 700 ms away makes "while down" certain in the reconnect test.
      backoff: () => 700,
    });
    const published: { conversationId: string; at: number }[] = [];
    const monitor = new Redis(redisUrl);
    const cleanups: (() => unknown)[] = [];

    beforeAll(async () => {
      setEventTransport(transport);
      monitor.on("message", (_from: string, payload: string) => {
        published.push({ conversationId: JSON.parse(payload).conversationId, at: performance.now() });
      });
      await monitor.subscribe(channel);
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    afterAll(async () => {
      setEventTransport(postgresNotifyTransport);
      await transport.close();
      monitor.disconnect();
    });

    const publishedFor = (conversationId: string) => published.filter((entry) => entry.conversationId === conversationId);

    it("wakes readers after the writing transaction commits, through Redis and not NOTIFY", async () => {
      const { bot } = await createOrganization();
      const { conversation } = await createConversation(bot.id, []);
      const notified: string[] = [];
      // Other test files write at the same time on a shared PostgreSQL: only this conversation's count.
      cleanups.push(
        await getDatabase().listen(EVENTS_CHANNEL, (payload) => {
          if (payload.includes(conversation.id)) notified.push(payload);
        }),
      );
      const reader = openEventReader(conversation.id);
      cleanups.push(reader.close);
      await sleep(100);

      let publishedBeforeCommit = -1;
      await prisma.$transaction(async (tx) => {
        // A caller that receives `tx` publishes deep inside, as the app's mutations do.
        await appendMessage(tx, { conversationId: conversation.id, role: "CONTACT", text: "after commit" });
        await sleep(300);
        publishedBeforeCommit = publishedFor(conversation.id).length;
      });
      const committedAt = performance.now();
      const [event] = await reader.waitFor(1, 5_000);

      expect(publishedBeforeCommit).toBe(0);
      await expect.poll(() => publishedFor(conversation.id).length, { timeout: 5_000 }).toBe(1);
      expect(publishedFor(conversation.id)[0].at).toBeGreaterThanOrEqual(committedAt - 50);
      expect(event.text).toBe("after commit");
      await sleep(200);
      expect(notified).toEqual([]);
    });

    it("publishes nothing for a transaction that rolls back", async () => {
      const { bot } = await createOrganization();
      const { conversation } = await createConversation(bot.id, []);
      const failure = new Error("rolled back on purpose");
      await expect(
        prisma.$transaction(async (tx) => {
          await appendMessage(tx, { conversationId: conversation.id, role: "CONTACT", text: "never committed" });
          throw failure;
        }),
      ).rejects.toBe(failure);
      await sleep(300);
      expect(publishedFor(conversation.id)).toEqual([]);

      await postMessage(conversation.id, "committed");
      await expect.poll(() => publishedFor(conversation.id).length, { timeout: 5_000 }).toBe(1);
    });

    it("resumes after its Redis connection is killed, delivering what was published meanwhile exactly once", async () => {
      const { conversation, wakes, reader } = await watchedConversation(cleanups);

      const admin = new Redis(redisUrl);
      cleanups.push(() => admin.disconnect());
      const clients = String(await admin.call("CLIENT", "LIST"));
      const ours = clients.split("\n").filter((line) => new RegExp(`\\bname=${connectionName}(\\s|$)`).test(line));
      expect(ours).toHaveLength(1);
      const id = /\bid=(\d+)/.exec(ours[0])![1];
      const cutAt = performance.now();
      expect(await admin.call("CLIENT", "KILL", "ID", id)).toBe(1);
      await postMessage(conversation.id, "while down");
      expect(performance.now() - cutAt).toBeLessThan(600);
      await reader.waitFor(2, 5_000);
      const resumeMs = performance.now() - cutAt;
      await postMessage(conversation.id, "after");
      await reader.waitFor(3, 5_000);
      await sleep(300);

      expect(wakes.filter((at) => at > cutAt).length).toBeGreaterThan(0);
      expect(reader.events.map((event) => event.text)).toEqual(["before", "while down", "after"]);
      expect(new Set(reader.events.map((event) => event.id)).size).toBe(3);
      console.info(`Redis reconnect (first retry at 700 ms): delivery resumed ${resumeMs.toFixed(0)} ms after CLIENT KILL`);
    });
  },
);
