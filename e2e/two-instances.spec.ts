/**
 * Two app instances on one PostgreSQL: live events cross instances through LISTEN/NOTIFY and the
 * database decides who holds a conversation. Runs where a PostgreSQL server answers
 * (TEST_DATABASE_URL, or 127.0.0.1:5432 as in CI); skipped, and said so, elsewhere.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { connectPostgresAdmin, expect, POSTGRES_SERVER_URL, test } from "./fixtures";

const SERVER_URL = POSTGRES_SERVER_URL;
const PORTS = [3101, 3102];

let admin: pg.Client | null = null;
let databaseUrl = "";
let databaseName = "";
const servers: ChildProcess[] = [];

async function waitForServer(port: number) {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      if ((await fetch(`http://localhost:${port}/login`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`instance on ${port} did not start`);
}

test.describe("two instances on one PostgreSQL", () => {
  test.beforeAll(async () => {
    test.setTimeout(300_000);
    admin = await connectPostgresAdmin();
    test.skip(!admin, "no PostgreSQL server reachable");
    databaseName = `sb_e2e_${randomBytes(5).toString("hex")}`;
    await admin!.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(SERVER_URL);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    const env = { ...process.env, DATABASE_URL: databaseUrl, STORAGE_DIR: mkdtempSync(path.join(tmpdir(), "sb-2i-")) };
    for (const args of [["scripts/prisma.mjs", "migrate", "deploy"], ["node_modules/tsx/dist/cli.mjs", "prisma/seed.ts"]]) {
      const result = spawnSync(process.execPath, args, { env, encoding: "utf8" });
      expect(result.status, result.stderr).toBe(0);
    }
    // The build is the one the Playwright web server made (npm start reuses it).
    for (const port of PORTS) {
      const server = spawn(path.resolve("node_modules/.bin/next"), ["start", "-p", String(port)], {
        env: { ...env, APP_URL: `http://localhost:${port}`, NEXTAUTH_URL: `http://localhost:${port}`, NEXTAUTH_SECRET: "two-instances" },
        stdio: "ignore",
      });
      servers.push(server);
    }
    await Promise.all(PORTS.map(waitForServer));
  });

  test.afterAll(async () => {
    for (const server of servers) server.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    if (admin && databaseName) await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await admin?.end();
  });

  test("a message posted through A reaches a live reader on B, and concurrent take-overs through A and B have one winner", async ({ browser }) => {
    const [a, b] = PORTS.map((port) => `http://localhost:${port}`);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows: bots } = await db.query(`SELECT id FROM "Bot" WHERE name = 'Acme Support Bot'`);
      const botId = bots[0].id as string;

      // A contact writes through instance A (web chat); their conversation is created.
      const contact = await browser.newContext({ baseURL: a });
      const first = await contact.request.post(`/chat/${botId}/messages`, { multipart: { text: "hello from instance A" } });
      expect(first.status()).toBe(201);
      const { rows: conversations } = await db.query(
        `SELECT c.id FROM "Conversation" c JOIN "Contact" k ON k.id = c."contactId" WHERE c."botId" = $1 ORDER BY c."createdAt" DESC LIMIT 1`,
        [botId],
      );
      const conversationId = conversations[0].id as string;
      // A takeover link for it (the owner's Share modal does the same insert through createShare).
      const publicId = randomBytes(24).toString("base64url");
      const { rows: owners } = await db.query(`SELECT id FROM "User" WHERE email = 'owner@acme.test'`);
      await db.query(
        `INSERT INTO "Share" (id, "publicId", "conversationId", "userId", mode, "updatedAt") VALUES ($1, $2, $3, $4, 'TAKEOVER', now())`,
        [`share_${publicId.slice(0, 10)}`, publicId, conversationId, owners[0].id],
      );

      // A reader on instance B sees the next message from A without reloading.
      const reader = await (await browser.newContext()).newPage();
      await reader.goto(`${b}/share/${publicId}`);
      await expect(reader.getByTestId("message").filter({ hasText: "hello from instance A" })).toBeVisible();
      const second = await contact.request.post(`/chat/${botId}/messages`, { multipart: { text: "second message, still through A" } });
      expect(second.status()).toBe(201);
      await expect(reader.getByTestId("message").filter({ hasText: "second message, still through A" })).toBeVisible();

      // Two operators, one on each instance, click Take over at the same moment.
      const operators = await Promise.all(
        [a, b].map(async (base) => {
          const page = await (await browser.newContext()).newPage();
          await page.goto(`${base}/share/${publicId}`);
          await expect(page.getByRole("button", { name: "Take over" })).toBeVisible();
          // Operators are never nameless: an anonymous one names themselves first.
          await page.getByLabel("Your name (shown to others)").fill(`Operator ${base === a ? "A" : "B"}`);
          return page;
        }),
      );
      await Promise.all(operators.map((page) => page.getByRole("button", { name: "Take over" }).click()));
      for (const page of operators) await expect(page.getByTestId("control-state")).toContainText("Taken over by");
      // Exactly one browser ends up with the console; the other is told someone else holds it.
      const consoleCount = async () =>
        (await Promise.all(operators.map((page) => page.getByRole("region", { name: "Operator console" }).count()))).reduce(
          (sum, count) => sum + count,
          0,
        );
      await expect.poll(consoleCount, { timeout: 10_000 }).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await consoleCount()).toBe(1);
      const { rows: sessions } = await db.query(
        `SELECT count(*)::int AS n FROM "TakeoverSession" WHERE "conversationId" = $1 AND "endedAt" IS NULL`,
        [conversationId],
      );
      expect(sessions[0].n).toBe(1);
    } finally {
      await db.end();
    }
  });
});
