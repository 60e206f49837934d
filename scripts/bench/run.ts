/**
 * `npm run bench`: Switchboard against bare references, measured in one run on this machine.
 *
 * Starts the built app (`next start`, built first when the sources changed) on a throw-away
 * PostgreSQL database, seeds what each path needs, and for every path runs Switchboard and its
 * reference alternately, BENCH_REPEAT times, so a busy machine's drift hits both alike. Prints one
 * table: path | Switchboard | reference | ratio | spread (of the ratio across repetitions) | load
 * average. The references (scripts/bench/references.ts) are node:http doing the same work bare;
 * the framework floor is a static file of the share page's size served by the same `next start`.
 * Both the app and the references reach PostgreSQL through a proxy that counts round trips.
 *
 * Settings (environment): BENCH_SECONDS (per load run, default 5), BENCH_REPEAT (3), BENCH_VIEWERS
 * (SSE streams, 1000), BENCH_ZIP_MB (Download all size, 256), BENCH_CONVERSATIONS (owner list,
 * 100000), BENCH_DATABASE_URL (a PostgreSQL server on loopback; default
 * postgresql://postgres@127.0.0.1:5432/postgres), BENCH_ONLY (a comma-separated subset of share,
 * sse, channel, zip, api, list; default all). Loopback only; ports are chosen by the system.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import pg from "pg";

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

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const repeat = Number(process.env.BENCH_REPEAT ?? 3);
const viewers = Number(process.env.BENCH_VIEWERS ?? 1000);
const zipMegabytes = Number(process.env.BENCH_ZIP_MB ?? 256);
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 100_000);
const sections = new Set((process.env.BENCH_ONLY ?? "share,sse,channel,zip,api,list").split(",").map((name) => name.trim()));
const runs = (section: "share" | "sse" | "channel" | "zip" | "api" | "list") => sections.has(section);
const serverUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(serverUrl).hostname)) {
  console.error("The benchmark runs against a PostgreSQL server on loopback only (BENCH_DATABASE_URL).");
  process.exit(1);
}

type Row = { path: string; switchboard: string; reference: string; ratio: number; spread: number; load: number; note?: string };
const rows: Row[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const spreadOf = (ratios: number[]) => (ratios.length > 1 ? (Math.max(...ratios) - Math.min(...ratios)) / median(ratios) : 0);

function addRow(pathName: string, ours: number[], theirs: number[], format: (value: number) => string, higherIsBetter: boolean, note?: string) {
  const ratios = ours.map((value, index) => (higherIsBetter ? value / theirs[index] : theirs[index] / value));
  rows.push({
    path: pathName,
    switchboard: format(median(ours)),
    reference: format(median(theirs)),
    ratio: median(ratios),
    spread: spreadOf(ratios),
    load: os.loadavg()[0],
    note,
  });
  log(`${pathName}: ${format(median(ours))} vs ${format(median(theirs))} (ratio ${median(ratios).toFixed(3)})`);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const visit = (id: number) => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, "utf8"));
      total += match ? Number(match[1]) * 1024 : 0;
    } catch {
      return;
    }
    for (const child of children.get(id) ?? []) visit(child);
  };
  visit(pid);
  return total;
}

/**
 * Round trips per request: `count` requests one after another, less what the idle app does
 * meanwhile (sweepers, the event safety poll), measured over two seconds just before.
 */
async function roundTripsPerRequest(proxy: { count: () => number }, send: () => Promise<Response>, count = 20): Promise<number> {
  const idleStart = proxy.count();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const idlePerMs = (proxy.count() - idleStart) / 2000;
  const before = proxy.count();
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    const response = await send();
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  }
  const background = idlePerMs * (performance.now() - started);
  const measured = Math.round((proxy.count() - before - background) / count);
  if (measured < 3) log(`  round trips per request measured as ${measured}: the idle app's background varied; the reference does 3`);
  return Math.max(3, measured);
}

/** Requests per second at `connections`, for `seconds`; fails the run on errors or non-2xx answers. */
async function load(options: autocannon.Options): Promise<{ rate: number; requests: number; p99: number }> {
  const result = await autocannon({ duration: seconds, connections: 10, ...options });
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0) log(`  ${options.url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  // Completed requests over the run (the per-second samples read 0 when a response takes longer than a second).
  return { rate: result.requests.total / result.duration, requests: result.requests.total, p99: result.latency.p99 };
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}).`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s.`);
}

/** Stops a child's whole process group and waits for it (10 s, then SIGKILL), so the database it uses is dropped only after. */
async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      child.kill(name);
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Opens `count` SSE streams; resolves with them once every one has sent its first bytes. */
async function openStreams(url: string, count: number) {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const streams: { request: http.ClientRequest; waiters: Map<string, (at: number) => void> }[] = [];
  const started = performance.now();
  const batch = 100;
  for (let offset = 0; offset < count; offset += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - offset) }, () =>
        new Promise<void>((resolve, reject) => {
          const waiters = new Map<string, (at: number) => void>();
          const request = http.get(url, { agent }, (response) => {
            if (response.statusCode !== 200) return reject(new Error(`${url}: ${response.statusCode}`));
            response.setEncoding("utf8");
            let opened = false;
            response.on("data", (text: string) => {
              if (!opened) {
                opened = true;
                resolve();
              }
              for (const [marker, resolveMarker] of waiters) {
                if (text.includes(marker)) {
                  waiters.delete(marker);
                  resolveMarker(performance.now());
                }
              }
            });
            response.on("error", () => {});
          });
          request.on("error", reject);
          streams.push({ request, waiters });
        }),
      ),
    );
  }
  const openSeconds = (performance.now() - started) / 1000;
  return {
    openSeconds,
    /** Latencies (ms) from `send()` to each stream seeing `marker`. */
    async deliver(marker: string, send: () => Promise<unknown>): Promise<number[]> {
      const arrivals = streams.map(
        (stream) =>
          new Promise<number>((resolve) => {
            stream.waiters.set(marker, resolve);
            setTimeout(() => resolve(Number.NaN), 30_000);
          }),
      );
      const sentAt = performance.now();
      await send();
      const times = await Promise.all(arrivals);
      const missed = times.filter(Number.isNaN).length;
      if (missed > 0) log(`  ${missed} of ${streams.length} streams never saw the event`);
      return times.filter((time) => !Number.isNaN(time)).map((time) => time - sentAt);
    },
    close() {
      for (const stream of streams) stream.request.destroy();
      agent.destroy();
    },
  };
}

async function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        if (response.statusCode !== 200) return reject(new Error(`${url}: ${response.statusCode}`));
        let bytes = 0;
        response.on("data", (chunk: Buffer) => (bytes += chunk.length));
        response.on("end", () => resolve(bytes));
        response.on("error", reject);
      })
      .on("error", reject);
  });
}

async function main() {
  const started = Date.now();
  // A throw-away database of its own, migrated.
  const databaseName = `switchboard_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${databaseName}`);
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin.end();
  });
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const directUrl = databaseUrl.toString();
  log(`migrating ${databaseName}`);
  const migrated = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: directUrl },
    encoding: "utf8",
  });
  if (migrated.status !== 0) throw new Error(`migrate deploy failed:\n${migrated.stdout}\n${migrated.stderr}`);

  const work = mkdtempSync(path.join(os.tmpdir(), "switchboard-bench-"));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  const storageDir = path.join(work, "files");
  process.env.DATABASE_URL = directUrl;
  process.env.STORAGE_DIR = storageDir;

  const { openDatabase } = await import("@/lib/db-client");
  const { setDatabase } = await import("@/lib/db");
  const database = openDatabase();
  setDatabase(database);
  cleanups.push(() => database.close());
  const { seedBench, seedOwnerList } = await import("./seed");
  log(`seeding (${zipMegabytes} MB of files, ${conversations} + ${conversations / 10} conversations)`);
  const seeded = await seedBench({ zipMegabytes: runs("zip") ? zipMegabytes : 1, storageDir });
  const ownerSmall = runs("list") ? await seedOwnerList(conversations / 10) : null;
  const ownerLarge = runs("list") ? await seedOwnerList(conversations) : null;

  const { startRoundTripProxy } = await import("./pg-round-trips");
  const proxy = await startRoundTripProxy(directUrl);
  cleanups.push(() => proxy.close());

  // The app, built when its sources changed (scripts/start.mjs), then `next start` on a free port.
  const appPort = await freePort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  log(`starting Switchboard on ${appUrl} (building first if needed)`);
  const app = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      PORT: String(appPort),
      LISTEN_HOST: "127.0.0.1",
      APP_URL: appUrl,
      DATABASE_URL: proxy.url,
      STORAGE_DIR: storageDir,
      NODE_ENV: "production",
      RATE_LIMIT_API_TOKEN: "100000000/1m",
      RATE_LIMIT_SHARE_LOOKUP_IP: "100000000/1m",
      RATE_LIMIT_CHAT_IP: "100000000/1m",
      RATE_LIMIT_CHAT_CONTACT: "100000000/1m",
    },
  });
  cleanups.push(() => stop(app));
  await waitForHttp(`${appUrl}/share/${seeded.shareId}`, app, 15 * 60_000);

  // The references, in a process of their own.
  const pagePath = path.join(work, "page.html");
  const page = Buffer.from(await (await fetch(`${appUrl}/share/${seeded.shareId}`)).arrayBuffer());
  writeFileSync(pagePath, page);
  const filesPath = path.join(work, "files.json");
  writeFileSync(filesPath, JSON.stringify(seeded.filePaths));
  const reference = spawn(process.execPath, ["--import", "tsx", "scripts/bench/references.ts"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, DATABASE_URL: proxy.url, BENCH_PAGE_FILE: pagePath, BENCH_FILES: filesPath, BENCH_LOCK_ROW: seeded.conversationId },
  });
  cleanups.push(() => stop(reference));
  const referencePort = await new Promise<number>((resolve, reject) => {
    reference.stdout!.once("data", (line: Buffer) => resolve(JSON.parse(line.toString()).port));
    reference.once("exit", (code) => reject(new Error(`reference server exited (${code})`)));
  });
  const referenceUrl = `http://127.0.0.1:${referencePort}`;

  // The framework floor: the static chunk of the build closest in size to the page, served by the
  // same next start (files added to .next/static after the start are not served).
  const chunks: { file: string; size: number }[] = [];
  const collect = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) collect(file);
      else chunks.push({ file, size: statSync(file).size });
    }
  };
  collect(path.join(root, ".next/static"));
  const floor = chunks.reduce((best, chunk) => (Math.abs(chunk.size - page.length) < Math.abs(best.size - page.length) ? chunk : best));
  const floorUrl = `${appUrl}/_next/static/${path.relative(path.join(root, ".next/static"), floor.file)}`;
  if ((await fetch(floorUrl)).status !== 200) throw new Error(`${floorUrl} is not served`);
  const floorNote = `floor: ${(floor.size / 1024).toFixed(0)} KB static file`;
  log(`share page is ${(page.length / 1024).toFixed(0)} KB; measuring`);

  // 1. Share page against the static floor and bare node:http, at c=10 and c=50.
  for (const connections of runs("share") ? [10, 50] : []) {
    const ours: number[] = [];
    const floorRates: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < repeat; round++) {
      ours.push((await load({ url: `${appUrl}/share/${seeded.shareId}`, connections })).rate);
      floorRates.push((await load({ url: floorUrl, connections })).rate);
      bare.push((await load({ url: `${referenceUrl}/page`, connections })).rate);
    }
    const rate = (value: number) => `${value.toFixed(0)} req/s`;
    addRow(`share page c=${connections} / next static file`, ours, floorRates, rate, true, `goal ≥ 0.25; ${floorNote}`);
    addRow(`share page c=${connections} / bare node:http`, ours, bare, rate, true);
  }

  // 2. SSE fan-out: one message to `viewers` open streams.
  if (runs("sse")) {
    const rssBefore = treeRss(app.pid!);
    const referenceRssBefore = treeRss(reference.pid!);
    // As the page opens it: from the event it was rendered at (the page's HTML has the history).
    const lastEvent = await database.prisma.conversationEvent.findFirst({ where: { conversationId: seeded.conversationId }, orderBy: { id: "desc" }, select: { id: true } });
    const ourStreams = await openStreams(`${appUrl}/share/${seeded.shareId}/events?after=${lastEvent?.id ?? 0}`, viewers);
    const bareStreams = await openStreams(`${referenceUrl}/events`, viewers);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const ourRss = (treeRss(app.pid!) - rssBefore) / viewers;
    const bareRss = (treeRss(reference.pid!) - referenceRssBefore) / viewers;
    const { appendMessage } = await import("@/lib/messages/append");
    const ours: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < repeat; round++) {
      const marker = `fanout-${randomBytes(6).toString("hex")}`;
      const roundTripsBefore = proxy.count();
      ours.push(
        percentile(
          await ourStreams.deliver(marker, () =>
            database.prisma.$transaction((tx) => appendMessage(tx, { conversationId: seeded.conversationId, role: "BOT", text: marker })),
          ),
          99,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const perEvent = proxy.count() - roundTripsBefore;
      log(`  fan-out: ${perEvent} round trips for one event to ${viewers} streams`);
      const bareMarker = `bare-${randomBytes(6).toString("hex")}`;
      bare.push(
        percentile(
          await bareStreams.deliver(bareMarker, () => fetch(`${referenceUrl}/publish`, { method: "POST", body: JSON.stringify({ text: bareMarker }) })),
          99,
        ),
      );
    }
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    addRow(`SSE fan-out to ${viewers}: p99`, ours, bare, ms, false, "goal ≥ 0.33");
    addRow(`SSE: RSS per open stream`, [ourRss], [bareRss], (value) => `${(value / 1024).toFixed(1)} KB`, false, "goal ≥ 0.33");
    addRow(`SSE: open ${viewers} streams`, [ourStreams.openSeconds], [bareStreams.openSeconds], (value) => `${value.toFixed(2)} s`, false);
    ourStreams.close();
    bareStreams.close();
  }

  // 3. Channel message in → bot reply out, c=10, against node:http + pg doing as many round trips.
  if (runs("channel")) {
    const ours: number[] = [];
    const bare: number[] = [];
    let contact = 0;
    // Fifty ongoing chats: most messages land in an existing conversation, as on a live channel.
    const nextContact = () => `+1999${String(contact++ % 50).padStart(6, "0")}`;
    const channelMessage = { authorization: `Bearer ${seeded.botToken}`, "content-type": "application/json" };
    const perMessage = await roundTripsPerRequest(proxy, () =>
      fetch(`${appUrl}/api/v1/bots/${seeded.botId}/messages`, {
        method: "POST",
        headers: channelMessage,
        body: JSON.stringify({ contact: { externalId: nextContact(), name: "Load" }, text: "Where is my order?" }),
      }),
    );
    for (let round = 0; round < repeat; round++) {
      const result = await load({
        url: `${appUrl}/api/v1/bots/${seeded.botId}/messages`,
        method: "POST",
        headers: channelMessage,
        setupClient: (client) => {
          client.setBody(JSON.stringify({ contact: { externalId: nextContact(), name: "Load" }, text: "Where is my order?" }));
        },
      });
      ours.push(result.rate);
      bare.push((await load({ url: `${referenceUrl}/round-trips?n=${perMessage}`, method: "POST" })).rate);
    }
    addRow(`channel message in → reply, c=10`, ours, bare, (value) => `${value.toFixed(0)} msg/s`, true, `${perMessage} round trips/msg; goal ≥ 0.8`);
  }

  // 4. Download all against bare node:http streaming the same files.
  if (runs("zip")) {
    const ours: number[] = [];
    const bare: number[] = [];
    const megabytesPerSecond = async (url: string) => {
      const begun = performance.now();
      const bytes = await download(url);
      return bytes / 1024 / 1024 / ((performance.now() - begun) / 1000);
    };
    for (let round = 0; round < repeat; round++) {
      ours.push(await megabytesPerSecond(`${appUrl}/share/${seeded.fileShareId}/download`));
      bare.push(await megabytesPerSecond(`${referenceUrl}/download`));
    }
    addRow(`Download all (${zipMegabytes} MB)`, ours, bare, (value) => `${value.toFixed(0)} MB/s`, true, "goal ≥ 0.8");
  }

  // 5. Share API against node:http + pg doing as many round trips.
  for (const [name, options] of runs("api")
    ? ([
    [
      "POST /api/v1/share",
      {
        url: `${appUrl}/api/v1/share`,
        method: "POST",
        body: JSON.stringify({ conversationId: seeded.conversationId, regenerate: true }),
        headers: { authorization: `Bearer ${seeded.personalToken}`, "content-type": "application/json" },
      },
    ],
    ["GET /api/v1/share/<id>", { url: `${appUrl}/api/v1/share/${seeded.shareId}`, headers: { authorization: `Bearer ${seeded.personalToken}` } }],
  ] as const)
    : []) {
    const ours: number[] = [];
    const bare: number[] = [];
    const perRequest = await roundTripsPerRequest(proxy, () =>
      fetch(options.url, { method: "method" in options ? options.method : "GET", headers: options.headers, body: "body" in options ? options.body : undefined }),
    );
    for (let round = 0; round < repeat; round++) {
      ours.push((await load({ ...options, headers: { ...options.headers } })).rate);
      bare.push((await load({ url: `${referenceUrl}/round-trips?n=${perRequest}`, method: "POST" })).rate);
    }
    addRow(`${name}, c=10`, ours, bare, (value) => `${value.toFixed(0)} req/s`, true, `${perRequest} round trips/req; goal ≥ 0.5`);
  }

  // 6. Owner list and search: 100k conversations against 10k, in-process on the same database (c=1).
  if (ownerSmall && ownerLarge) {
    const { listConversations } = await import("@/lib/conversations/queries");
    const timeList = async (actor: typeof ownerSmall, query?: string) => {
      const times: number[] = [];
      const until = performance.now() + (seconds * 1000) / 2;
      while (performance.now() < until || times.length < 5) {
        const begun = performance.now();
        await listConversations(actor, { query });
        times.push(performance.now() - begun);
      }
      return median(times);
    };
    for (const query of [undefined, "555000012", "chat about 3f"]) {
      const large: number[] = [];
      const small: number[] = [];
      for (let round = 0; round < repeat; round++) {
        large.push(await timeList(ownerLarge, query));
        small.push(await timeList(ownerSmall, query));
      }
      const ms = (value: number) => `${value.toFixed(1)} ms`;
      addRow(
        `owner list ${query ? `search "${query}"` : "newest 50"}: ${conversations} / ${conversations / 10} (p50)`,
        large,
        small,
        ms,
        false,
        query ? "goal ≥ 0.83, p50 ≤ 100 ms" : "goal ≥ 0.83",
      );
    }
  }

  // The table.
  const header = ["path", "Switchboard", "reference", "ratio", "spread", "load avg", "note"];
  const table = rows.map((row) => [
    row.path,
    row.switchboard,
    row.reference,
    row.ratio.toFixed(3),
    `±${(row.spread * 50).toFixed(0)}%`,
    row.load.toFixed(2),
    row.note ?? "",
  ]);
  console.log(`\nSwitchboard benchmark — ${os.cpus().length} cores, ${repeat} alternating repetitions of ${seconds} s; ratio: 1 = as fast as the reference`);
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of table) console.log(`| ${row.join(" | ")} |`);
  console.log(`\n(${((Date.now() - started) / 60_000).toFixed(1)} min)`);
}

async function cleanUp() {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
main()
  .then(cleanUp, async (error: unknown) => {
    console.error(error);
    await cleanUp();
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 1000).unref());
