/**
 * Two app instances on one PostgreSQL, Redis for live events and one S3 bucket (s3rver), behind
 * HAProxy with deploy/haproxy.cfg: files cross instances, clients survive an instance killed
 * outright, and SIGTERM drains an instance (readiness 503, streams end with a reconnect hint,
 * clients resume on the survivor, exit 0). Skipped, and said so, without haproxy, PostgreSQL or
 * Redis (`.ci/run` installs haproxy; CI has the other two on loopback).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, openSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { startS3TestServer, type S3TestServer } from "@/lib/storage/s3-test-server";
import { ACME_OWNER, connectPostgresAdmin, expect, POSTGRES_SERVER_URL, readZip, sayInChat, signIn, test } from "./fixtures";

const SERVER_URL = POSTGRES_SERVER_URL;
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

type Instance = { name: string; port: number; storageDir: string; process: ChildProcess; exited: Promise<number | null> };

let admin: pg.Client | null = null;
let db: pg.Client | null = null;
let databaseName = "";
let s3: S3TestServer | null = null;
let haproxy: ChildProcess | null = null;
let balancer = "";
let botId = "";
const instances = new Map<string, Instance>();
let logDir = "";
let baseEnv: NodeJS.ProcessEnv = { ...process.env };

async function freePort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function redisReachable() {
  const { hostname, port } = new URL(REDIS_URL);
  return new Promise<boolean>((resolve) => {
    const socket = net.connect(Number(port || 6379), hostname);
    socket.setTimeout(2000);
    socket.once("connect", () => socket.end("PING\r\n"));
    socket.once("data", (data) => resolve(data.toString().startsWith("+PONG")));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

async function waitUntilReady(port: number) {
  for (let attempt = 0; attempt < 240; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`instance on ${port} did not become ready (logs in ${logDir})`);
}

/** Starts `next start` on the build the Playwright web server made; each instance has its own STORAGE_DIR. */
async function startInstance(name: string, port: number, storageDir: string) {
  const log = openSync(path.join(logDir, `${name}.log`), "a");
  const child = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port)], {
    env: { ...baseEnv, STORAGE_DIR: storageDir },
    stdio: ["ignore", log, log],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  instances.set(name, { name, port, storageDir, process: child, exited });
  await waitUntilReady(port);
  return instances.get(name)!;
}

async function stopEverything() {
  for (const instance of instances.values()) if (instance.process.exitCode === null) instance.process.kill("SIGKILL");
  await Promise.all([...instances.values()].map((instance) => instance.exited));
  if (haproxy && haproxy.exitCode === null) {
    const exited = new Promise((resolve) => haproxy!.once("exit", resolve));
    haproxy.kill("SIGKILL");
    await exited;
  }
  await s3?.stop();
  await db?.end();
  if (admin && databaseName) await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin?.end();
  for (const folder of [logDir, ...[...instances.values()].map((instance) => instance.storageDir)]) {
    if (folder) rmSync(folder, { recursive: true, force: true });
  }
}

/** The texts of a page's messages, in the order shown. */
const shownMessages = (page: Page) => page.getByTestId("message").allTextContents();

test.describe("several instances behind HAProxy", () => {
  test.describe.configure({ mode: "serial" });

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    logDir = mkdtempSync(path.join(tmpdir(), "sb-lb-"));
    const haproxyInstalled = spawnSync("haproxy", ["-v"]).status === 0;
    test.skip(!haproxyInstalled, "haproxy is not installed (apt-get install haproxy; .ci/run does)");
    admin = await connectPostgresAdmin();
    test.skip(!admin, `no PostgreSQL server reachable at ${SERVER_URL} (set TEST_DATABASE_URL)`);
    test.skip(!(await redisReachable()), `no Redis reachable at ${REDIS_URL} (set TEST_REDIS_URL)`);

    databaseName = `sb_lb_${randomBytes(5).toString("hex")}`;
    await admin!.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${databaseName}`;
    s3 = await startS3TestServer("switchboard-lb");
    const [portA, portB, balancerPort] = [await freePort(), await freePort(), await freePort()];
    balancer = `http://localhost:${balancerPort}`;
    baseEnv = {
      ...process.env,
      DATABASE_URL: url.toString(),
      APP_URL: balancer,
      NEXTAUTH_URL: balancer,
      NEXTAUTH_SECRET: "load-balancer-shared-secret",
      EVENTS_URL: REDIS_URL,
      STORAGE_URL: `s3://${s3.bucket}/files`,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      S3_FORCE_PATH_STYLE: "true",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_REGION: "us-east-1",
      TRUST_PROXY: "true",
      // Long enough that the survivor's live updates come from Redis wake-ups, not the poll.
      EVENTS_POLL_SECONDS: "60",
      SHUTDOWN_ANNOUNCE_SECONDS: "3",
      SHUTDOWN_GRACE_SECONDS: "10",
    };
    for (const args of [["scripts/prisma.mjs", "migrate", "deploy"], ["node_modules/tsx/dist/cli.mjs", "prisma/seed.ts"]]) {
      const result = spawnSync(process.execPath, args, { env: { ...baseEnv, STORAGE_DIR: path.join(logDir, "seed-files") }, encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
    }
    db = new pg.Client({ connectionString: url.toString() });
    await db.connect();
    botId = (await db.query(`SELECT id FROM "Bot" WHERE name = 'Acme Support Bot'`)).rows[0].id;

    await Promise.all([
      startInstance("a", portA, mkdtempSync(path.join(tmpdir(), "sb-lb-files-a-"))),
      startInstance("b", portB, mkdtempSync(path.join(tmpdir(), "sb-lb-files-b-"))),
    ]);
    const log = openSync(path.join(logDir, "haproxy.log"), "a");
    haproxy = spawn("haproxy", ["-db", "-f", "deploy/haproxy.cfg"], {
      env: {
        ...process.env,
        SWITCHBOARD_BIND: `127.0.0.1:${balancerPort}`,
        SWITCHBOARD_APP1: `127.0.0.1:${portA}`,
        SWITCHBOARD_APP2: `127.0.0.1:${portB}`,
      },
      stdio: ["ignore", log, log],
    });
    await waitUntilReady(balancerPort);
  });

  test.afterAll(async () => {
    await stopEverything();
  });

  /** A conversation's messages as stored, oldest first. */
  async function storedMessages(conversationId: string) {
    const { rows } = await db!.query(`SELECT text FROM "Message" WHERE "conversationId" = $1 ORDER BY "createdAt", id`, [conversationId]);
    return rows.map((row) => row.text as string);
  }

  async function insertShare(conversationId: string, mode: "VIEW" | "TAKEOVER") {
    const publicId = randomBytes(24).toString("base64url");
    const { rows } = await db!.query(`SELECT id FROM "User" WHERE email = $1`, [ACME_OWNER.email]);
    await db!.query(
      `INSERT INTO "Share" (id, "publicId", "conversationId", "userId", mode, "updatedAt") VALUES ($1, $2, $3, $4, $5, now())`,
      [`share_${publicId.slice(0, 10)}`, publicId, conversationId, rows[0].id, mode],
    );
    return publicId;
  }

  async function newestConversation(contactName: string) {
    const { rows } = await db!.query(
      `SELECT c.id FROM "Conversation" c JOIN "Contact" k ON k.id = c."contactId" WHERE c."botId" = $1 AND k.name = $2 ORDER BY c."createdAt" DESC LIMIT 1`,
      [botId, contactName],
    );
    return rows[0].id as string;
  }

  test("a file sent through A's web chat downloads through B, alone and in Download all", async ({ browser }) => {
    const [a, b] = ["a", "b"].map((name) => `http://localhost:${instances.get(name)!.port}`);
    const contact = await browser.newContext();
    const bytes = randomBytes(300_000);
    const sent = await contact.request.post(`${a}/chat/${botId}/messages`, {
      multipart: { text: "my invoice", files: { name: "invoice.pdf", mimeType: "application/pdf", buffer: bytes } },
    });
    expect(sent.status()).toBe(201);
    const [attachment] = ((await sent.json()) as { messages: { attachments: { id: string }[] }[] }).messages[0].attachments;

    // The contact's own download, through the other instance (the cookie is signed with the shared secret).
    const own = await contact.request.get(`${b}/chat/${botId}/files/${attachment.id}`);
    expect(own.status()).toBe(200);
    expect((await own.body()).equals(bytes)).toBe(true);

    const { rows } = await db!.query(`SELECT "conversationId" FROM "Attachment" WHERE id = $1`, [attachment.id]);
    const publicId = await insertShare(rows[0].conversationId, "VIEW");
    const viewer = await browser.newContext();
    const single = await viewer.request.get(`${b}/share/${publicId}/files/${attachment.id}`);
    expect(single.status()).toBe(200);
    expect((await single.body()).equals(bytes)).toBe(true);
    const zip = await viewer.request.get(`${b}/share/${publicId}/download`);
    expect(zip.status()).toBe(200);
    const entries = await readZip(await zip.body());
    expect([...entries.keys()]).toEqual(["invoice.pdf", "transcript.md"]);
    expect(entries.get("invoice.pdf")!.equals(bytes)).toBe(true);
    // The bytes live in the bucket only: neither instance's local folder holds a file.
    for (const name of ["a", "b"]) {
      const files = readdirSync(instances.get(name)!.storageDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
      expect(files).toEqual([]);
    }
  });

  test("clients survive an instance killed outright and one drained by SIGTERM, missing and repeating nothing", async ({ browser }) => {
    test.setTimeout(180_000);
    // The contact's web chat, through the balancer; the bot answers before any takeover.
    const contact = await (await browser.newContext({ baseURL: balancer })).newPage();
    await contact.goto(`/chat/${botId}`);
    await contact.getByLabel("Your name").fill("Morgan");
    await sayInChat(contact, "first, before anything fails");
    const conversationId = await newestConversation("Morgan");
    const publicId = await insertShare(conversationId, "TAKEOVER");

    // A viewer of the share link, and an operator signed in through the balancer who takes over.
    const viewer = await (await browser.newContext({ baseURL: balancer })).newPage();
    await viewer.goto(`/share/${publicId}`);
    await expect(viewer.getByTestId("message").filter({ hasText: "first, before anything fails" })).toBeVisible();
    const operator = await (await browser.newContext({ baseURL: balancer })).newPage();
    await signIn(operator, ACME_OWNER.email);
    await operator.goto(`/conversations/${conversationId}`);
    await operator.getByRole("button", { name: "Take over" }).click();
    const operatorConsole = operator.getByRole("region", { name: "Operator console" });
    await expect(operatorConsole).toBeVisible();
    await expect(viewer.getByTestId("control-state")).toHaveText(`Taken over by ${ACME_OWNER.name}`);

    const pages = { contact, viewer, operator };
    const everyoneSees = async (text: string) => {
      await expect.poll(async () => (await storedMessages(conversationId)).filter((stored) => stored === text).length).toBe(1);
      for (const [name, page] of Object.entries(pages)) {
        await expect(page.getByTestId("message").filter({ hasText: text }), `the ${name} sees "${text}" once`).toHaveCount(1);
      }
    };
    const operatorSays = async (text: string) => {
      await operatorConsole.getByLabel("Message to the contact").fill(text);
      await operatorConsole.getByRole("button", { name: "Send" }).click();
      await everyoneSees(text);
    };
    await operatorSays("operator, before the kill");

    // Instance A dies mid-conversation without a chance to say anything.
    const a = instances.get("a")!;
    a.process.kill("SIGKILL");
    await a.exited;
    await sayInChat(contact, "contact, after the kill");
    await everyoneSees("contact, after the kill");
    // The takeover taken before the kill still holds: the operator can still send, the bot stays silent.
    await operatorSays("operator, after the kill");

    // A comes back; B is told to stop. Readiness flips at once while B still serves.
    await startInstance("a", a.port, a.storageDir);
    const b = instances.get("b")!;
    const directStream = await fetch(`http://127.0.0.1:${b.port}/share/${publicId}/events`);
    const streamText = directStream.text();
    const sigtermAt = performance.now();
    b.process.kill("SIGTERM");
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${b.port}/api/ready`)).status, { timeout: 2_000, intervals: [50] })
      .toBe(503);
    // B ended the stream by itself, the last frame telling the browser when to come back.
    expect(await streamText).toMatch(/\n\nretry: \d+\n\n$/);
    expect(await b.exited).toBe(0);
    console.info(`SIGTERM to exit 0: ${(performance.now() - sigtermAt).toFixed(0)} ms`);

    await sayInChat(contact, "contact, after the drain");
    await everyoneSees("contact, after the drain");
    await operatorSays("operator, after the drain");

    // Nothing lost, nothing twice: every page shows exactly what is stored, in order.
    const stored = await storedMessages(conversationId);
    expect(stored.length).toBeGreaterThanOrEqual(6);
    for (const page of Object.values(pages)) {
      const shown = await shownMessages(page);
      expect(shown).toHaveLength(stored.length);
      shown.forEach((text, index) => expect(text).toContain(stored[index]));
    }
  });
});
