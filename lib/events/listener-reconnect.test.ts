import { afterEach, describe, expect, inject, it } from "vitest";
import { getDatabase, prisma, setDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db-client";
import { LISTENER_APPLICATION_NAME } from "@/lib/events/postgres-listener";
import { openEventReader, postMessage, sleep, watchedConversation } from "@/lib/events/testing";
import { getEventTransport, postgresNotifyTransport, setEventTransport } from "@/lib/events/transport";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

// Only the reconnect may deliver what is published while the connection is down, not the poll.
process.env.EVENTS_POLL_SECONDS = "3600";

const databaseUrl = inject("databaseUrl");

/** The LISTEN backends of this test run's database (no other run's, no other database's). */
async function listenerPids() {
  const rows = await prisma.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`;
  return rows.map((row) => row.pid);
}

async function terminateListeners() {
  await prisma.$queryRaw`
    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE application_name = ${LISTENER_APPLICATION_NAME} AND datname = current_database()`;
}

describe.runIf(databaseUrl)(
  "live events when the LISTEN connection is terminated (PostgreSQL; skipped on PGlite, whose LISTEN is in-process with no connection to lose — set TEST_DATABASE_URL)",
  () => {
    const cleanups: (() => unknown)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it("reconnects and delivery resumes within 5 s", async () => {
      const { conversation, wakes, reader } = await watchedConversation(cleanups);
      const [oldPid] = await listenerPids();
      expect(oldPid).toBeDefined();

      const cutAt = performance.now();
      await terminateListeners();
      await postMessage(conversation.id, "after the cut");
      await reader.waitFor(2, 5_000);
      const resumeMs = performance.now() - cutAt;

      expect(wakes.filter((at) => at > cutAt).length).toBeGreaterThan(0);
      expect(await listenerPids()).not.toContain(oldPid);
      expect(reader.events.map((event) => event.text)).toEqual(["before", "after the cut"]);
      console.info(`LISTEN reconnect (default backoff): delivery resumed ${resumeMs.toFixed(0)} ms after pg_terminate_backend`);
    });

    it("has every open stream reread after the reconnect, so events published while down arrive exactly once", async () => {
      // A first retry a second away makes "while down" certain: both events commit before the new LISTEN.
      const slow = openDatabase({ engine: "postgres", url: databaseUrl! }, { listenerBackoff: () => 1_000 });
      const original = { database: getDatabase(), transport: getEventTransport() };
      setDatabase(slow);
      // A transport object of its own makes subscribe.ts listen again, now on the slow database.
      setEventTransport({ ...postgresNotifyTransport });
      cleanups.push(async () => {
        setDatabase(original.database);
        setEventTransport(original.transport);
        await slow.close();
      });

      const { bot } = await createOrganization();
      const { conversation } = await createConversation(bot.id, []);
      const reader = openEventReader(conversation.id);
      cleanups.push(reader.close);
      await postMessage(conversation.id, "before");
      await reader.waitFor(1, 5_000);

      const cutAt = performance.now();
      await terminateListeners();
      await postMessage(conversation.id, "while down 1");
      await postMessage(conversation.id, "while down 2");
      const committedAt = performance.now();
      expect(committedAt - cutAt).toBeLessThan(900);
      await reader.waitFor(3, 5_000);
      await postMessage(conversation.id, "after");
      await reader.waitFor(4, 5_000);
      await sleep(300);

      expect(reader.events.map((event) => event.text)).toEqual(["before", "while down 1", "while down 2", "after"]);
      expect(new Set(reader.events.map((event) => event.id)).size).toBe(4);
      console.info(`LISTEN reconnect (first retry at 1 s): missed events delivered ${(reader.events[2].at - cutAt).toFixed(0)} ms after the cut`);
    });
  },
);
