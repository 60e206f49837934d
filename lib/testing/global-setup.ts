/**
 * Runs once before the Vitest suite: prepares one migrated database that every test file starts
 * from, using the real migrations through `prisma migrate deploy`.
 * - TEST_DATABASE_URL=postgres://…: a throw-away database on that server, dropped afterwards.
 * - otherwise: a migrated PGlite folder, dumped to a file each test file loads into memory.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import pg from "pg";
import type { TestProject } from "vitest/node";

function migrate(databaseUrl: string) {
  const result = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`prisma migrate deploy failed:\n${result.stdout}\n${result.stderr}`);
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const name = `sb_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    migrate(url.toString());
    project.provide("databaseUrl", url.toString());
    return async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    };
  }
  const workDir = mkdtempSync(path.join(tmpdir(), "switchboard-test-"));
  const dataDir = path.join(workDir, "pglite");
  migrate(`pglite:${dataDir}`);
  const pglite = await PGlite.create({ dataDir, extensions: { pg_trgm } });
  const dump = await pglite.dumpDataDir("gzip");
  await pglite.close();
  const dumpFile = path.join(workDir, "template.tar.gz");
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteTemplate", dumpFile);
  return () => rmSync(workDir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl?: string;
    pgliteTemplate?: string;
  }
}
