/**
 * Commit throughput of event-publishing transactions on PostgreSQL under both event transports:
 * NOTIFY inside the transaction (the default) and Redis pub/sub after commit (EVENTS_URL).
 *
 *   npx tsx scripts/bench/notify-throughput.ts [--writers 32] [--seconds 8] [--rounds 2] [--driver pg|prisma|both]
 *
 * Each transaction is what ingesting a message does for its event: lock the conversation, insert
 * the ConversationEvent row, announce it. Every writer has its own conversation, as concurrent
 * chats do, so they contend only where the transport makes them. Two drivers:
 * - `pg`: the same statements on one pg connection per writer, so the client costs little and the
 *   number shows the database side (NOTIFY's commit-time lock);
 * - `prisma`: the app's own path, prisma.$transaction + publishConversationEvent, which on a small
 *   machine is bound by the client's CPU long before the database.
 * A receiver listens on the transport under test, as a running instance would. Runs on a
 * throw-away database (created, migrated, dropped) of the server at BENCH_DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres) and the Redis at BENCH_REDIS_URL (default
 * redis://127.0.0.1:6379); both must be on loopback. Rounds alternate transports, so a busy
 * machine's drift hits both alike.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import type { MessageView } from "@/lib/conversations/message-view";

const hasReactServerCondition = process.execArgv.some(
  (arg, index, all) => arg === "--conditions=react-server" || ((arg === "--conditions" || arg === "-C") && all[index + 1] === "react-server"),
);
if (!hasReactServerCondition) {
  // The lib modules import "server-only", which is empty only under the "react-server" condition.
  const result = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    writers: { type: "string", default: "32" },
    seconds: { type: "string", default: "8" },
    rounds: { type: "string", default: "2" },
    driver: { type: "string", default: "both" },
  },
});
const writers = Number(values.writers);
const seconds = Math.min(Number(values.seconds), 60);
const rounds = Math.min(Number(values.rounds), 5);
const drivers = values.driver === "both" ? ["pg", "prisma"] : [values.driver!];
if (!drivers.every((driver) => driver === "pg" || driver === "prisma")) {
  console.error("--driver is pg, prisma or both");
  process.exit(1);
}
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

const isLoopback = (url: string) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
if (!isLoopback(serverUrl) || !isLoopback(redisUrl)) {
  console.error("The benchmark runs against loopback servers only (BENCH_DATABASE_URL, BENCH_REDIS_URL).");
  process.exit(1);
}

async function main() {
  const name = `sb_bench_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();
  // Stops the whole run if anything hangs: the benchmark is bounded whatever happens.
  const deadline = setTimeout(() => {
    console.error("Benchmark exceeded its time budget; stopping.");
    process.exit(1);
  }, (drivers.length * rounds * 2 * (seconds + 5) + 120) * 1000);
  deadline.unref();
  try {
    const migrated = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      encoding: "utf8",
    });
    if (migrated.status !== 0) throw new Error(`migrate deploy failed:\n${migrated.stdout}\n${migrated.stderr}`);
    await run(databaseUrl);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

async function run(databaseUrl: string) {
  const { openDatabase } = await import("@/lib/db-client");
  const { setDatabase, prisma } = await import("@/lib/db");
  const { publishConversationEvent } = await import("@/lib/events/publish");
  const { postgresNotifyTransport, setEventTransport } = await import("@/lib/events/transport");
  const { createRedisTransport } = await import("@/lib/events/redis-transport");
  const { EVENTS_CHANNEL } = await import("@/lib/events/types");
  type EventTransport = typeof postgresNotifyTransport;

  const database = openDatabase({ engine: "postgres", url: databaseUrl }, { poolSize: writers + 4 });
  setDatabase(database);
  const organization = await prisma.organization.create({ data: { name: "Bench", slug: `bench-${randomBytes(4).toString("hex")}` } });
  const bot = await prisma.bot.create({ data: { organizationId: organization.id, name: "Bench bot" } });
  const conversationIds: string[] = [];
  for (let index = 0; index < writers; index += 1) {
    const contact = await prisma.contact.create({ data: { botId: bot.id, externalId: `bench-${index}`, name: `Contact ${index}` } });
    const conversation = await prisma.conversation.create({ data: { botId: bot.id, contactId: contact.id, title: `Bench ${index}` } });
    conversationIds.push(conversation.id);
  }
  const redis = createRedisTransport(redisUrl, { channel: `switchboard_events_bench_${randomBytes(4).toString("hex")}` });
  const transports: [string, EventTransport][] = [
    ["NOTIFY in transaction", postgresNotifyTransport],
    ["Redis after commit  ", redis],
  ];
  const message: MessageView = {
    id: "bench",
    seq: "1",
    role: "CONTACT",
    text: "Hello, I would like to know where my order is.",
    authorName: null,
    createdAt: new Date(0).toISOString(),
    attachments: [],
  };

  // One client per writer for the pg driver, as a pool of `writers` connections would give.
  const clients = await Promise.all(
    conversationIds.map(async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const { Redis } = await import("ioredis");
  const publisher = new Redis(redisUrl);
  const rawChannel = `switchboard_events_bench_raw_${randomBytes(4).toString("hex")}`;
  const data = JSON.stringify({ message });

  /** One transaction of writer `index`, the way `driver` runs it under `transport`. */
  const commitOne = async (driver: string, transport: EventTransport, index: number) => {
    const conversationId = conversationIds[index];
    if (driver === "prisma") {
      await prisma.$transaction((tx) => publishConversationEvent(tx, conversationId, { type: "message", message }));
      return;
    }
    const client = clients[index];
    await client.query("BEGIN");
    await client.query(`SELECT id FROM "Conversation" WHERE id = $1 FOR UPDATE`, [conversationId]);
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO "ConversationEvent" ("conversationId", type, data) VALUES ($1, 'message', $2) RETURNING id`,
      [conversationId, data],
    );
    const notice = JSON.stringify({ conversationId, id: rows[0].id });
    if (transport === postgresNotifyTransport) {
      await client.query("SELECT pg_notify($1, $2)", [EVENTS_CHANNEL, notice]);
      await client.query("COMMIT");
    } else {
      await client.query("COMMIT");
      // As the app does: published after the commit, not awaited by the writer.
      publisher.publish(rawChannel, notice).catch(() => {});
    }
  };

  const measure = async (driver: string, transport: EventTransport) => {
    setEventTransport(transport);
    let received = 0;
    const stop =
      driver === "pg" && transport !== postgresNotifyTransport
        ? await createRedisTransport(redisUrl, { channel: rawChannel }).receive({ onNotice: () => (received += 1), onResync: () => {} })
        : await transport.receive({ onNotice: () => (received += 1), onResync: () => {} });
    let committed = 0;
    let running = true;
    const writer = async (index: number) => {
      while (running) {
        await commitOne(driver, transport, index);
        committed += 1;
      }
    };
    // A short warm-up fills the pool and the caches before the clock starts.
    const writing = conversationIds.map((_, index) => writer(index));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const startCommitted = committed;
    const started = performance.now();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const elapsed = (performance.now() - started) / 1000;
    const count = committed - startCommitted;
    running = false;
    await Promise.all(writing);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stop();
    return { tps: count / elapsed, delivered: received / committed };
  };

  console.log(`${writers} writers, ${seconds} s per run, ${rounds} round(s), PostgreSQL ${new URL(databaseUrl).host}, Redis ${new URL(redisUrl).host}`);
  for (const driver of drivers) {
    const results = new Map<string, number[]>(transports.map(([label]) => [label, []]));
    for (let round = 1; round <= rounds; round += 1) {
      for (const [label, transport] of round % 2 ? transports : [...transports].reverse()) {
        const { tps, delivered } = await measure(driver, transport);
        results.get(label)!.push(tps);
        console.log(`${driver.padEnd(6)} round ${round}  ${label}  ${tps.toFixed(0).padStart(6)} transactions/s  (${(delivered * 100).toFixed(0)}% of wake-ups received)`);
      }
    }
    for (const [label, values] of results) {
      const sorted = [...values].sort((a, b) => a - b);
      const median = (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
      console.log(`${driver.padEnd(6)} median   ${label}  ${median.toFixed(0).padStart(6)} transactions/s`);
    }
  }
  await Promise.all(clients.map((client) => client.end()));
  publisher.disconnect();
  await redis.close();
  await database.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
