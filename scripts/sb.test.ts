/**
 * The `sb` command line as an operator runs it: a real process on a real database (the test's
 * PostgreSQL database, or a PGlite folder made from the migrated template).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { prisma } from "@/lib/db";
import { openPglite } from "@/lib/db-client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { hashToken } from "@/lib/tokens/format";

const serverUrl = inject("databaseUrl");
const workDir = mkdtempSync(path.join(tmpdir(), "switchboard-cli-"));
const dataDir = path.join(workDir, "pglite");
const databaseUrl = serverUrl ?? `pglite:${dataDir}`;
const suffix = Math.random().toString(36).slice(2, 8);
const email = `cli.${suffix}@example.test`;
const botName = `CLI bot ${suffix}`;

type Run = { code: number | null; stdout: string; stderr: string };

function sb(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/sb.ts", ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `use` on the CLI's database from this process, for setup and for checking what the CLI
 * wrote: the test's own connection on PostgreSQL; the PGlite folder opened and closed again
 * (the CLI cannot open it meanwhile).
 */
async function withCliDatabase<T>(use: (client: PrismaClient) => Promise<T>): Promise<T> {
  if (serverUrl) return use(prisma);
  const database = openPglite(dataDir);
  try {
    return await use(database.prisma);
  } finally {
    await database.close();
  }
}

let botId = "";

beforeAll(async () => {
  // On PGlite: a folder holding the migrated template, as `npm start` leaves ./data/pglite.
  if (!serverUrl) await openPglite(dataDir, new Blob([readFileSync(inject("pgliteTemplate")!)])).close();
  botId = await withCliDatabase(async (client) => {
    const organization = await client.organization.create({ data: { name: `CLI org ${suffix}`, slug: `cli-${suffix}` } });
    await client.user.create({
      data: { email, name: "CLI Owner", passwordHash: "x", memberships: { create: { organizationId: organization.id, role: "OWNER" } } },
    });
    return (await client.bot.create({ data: { organizationId: organization.id, name: botName } })).id;
  });
}, 60_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("npm run sb -- token …", () => {
  it("creates bot and personal tokens that are stored hashed, lists them and revokes one by prefix", async () => {
    const forBot = await sb("token", "create", "--bot", botName, "--name", "WhatsApp bridge");
    expect(forBot.stderr).toBe("");
    expect(forBot.code).toBe(0);
    expect(forBot.stdout).toContain(`for bot "${botName}" (id ${botId})`);
    const botToken = /sb_bot_[0-9A-Za-z]{32}/.exec(forBot.stdout)?.[0];
    expect(botToken).toBeDefined();

    const forUser = await sb("token", "create", "--user", email);
    expect(forUser.code).toBe(0);
    const personalToken = /sb_pat_[0-9A-Za-z]{32}/.exec(forUser.stdout)?.[0];
    expect(personalToken).toBeDefined();

    const revoke = await sb("token", "revoke", botToken!.slice(0, 12));
    expect(revoke.code).toBe(0);
    expect(revoke.stdout).toContain(`Revoked token ${botToken!.slice(0, 12)}`);

    const list = await sb("token", "list");
    expect(list.code).toBe(0);
    const rows = list.stdout.split("\n");
    expect(rows.find((row) => row.startsWith(botToken!.slice(0, 12)))).toMatch(new RegExp(`bot\\s+${botName}\\s+WhatsApp bridge.*revoked`));
    expect(rows.find((row) => row.startsWith(personalToken!.slice(0, 12)))).toMatch(new RegExp(`personal\\s+${email.replaceAll(".", "\\.")}.*active$`));
    // Neither token is printed again, nor stored as it is.
    expect(list.stdout).not.toContain(botToken);
    const stored = await withCliDatabase((client) =>
      client.apiToken.findMany({ where: { OR: [{ botId }, { user: { email } }] }, select: { hash: true } }),
    );
    expect(stored.map((row) => row.hash).sort()).toEqual([hashToken(botToken!), hashToken(personalToken!)].sort());
  }, 60_000);

  it("refuses an unknown bot, an unknown user and a missing argument with a message and exit code 1", async () => {
    const unknownBot = await sb("token", "create", "--bot", `no bot ${suffix}`);
    expect(unknownBot.code).toBe(1);
    expect(unknownBot.stderr).toContain(`No bot has the id or name "no bot ${suffix}"`);
    const unknownUser = await sb("token", "create", "--user", `nobody.${suffix}@example.test`);
    expect(unknownUser.code).toBe(1);
    expect(unknownUser.stderr).toContain("No user has the email");
    const both = await sb("token", "create");
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("Pass exactly one of --bot or --user.");
  }, 60_000);

  it.runIf(!serverUrl)("refuses to open an embedded database another process holds", async () => {
    const held = openPglite(dataDir);
    try {
      const run = await sb("token", "list");
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`is in use by another process (pid ${process.pid}`);
    } finally {
      await held.close();
    }
    expect((await sb("token", "list")).code).toBe(0);
  }, 60_000);
});
