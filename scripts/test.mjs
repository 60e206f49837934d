#!/usr/bin/env node
// npm test: every test, on every engine this machine offers.
//  1. Vitest (domain layer, files) on PGlite.
//  2. The same Vitest suite on PostgreSQL: TEST_DATABASE_URL, or the server at 127.0.0.1:5432 when
//     one answers (each run creates and drops a throw-away database). Skipped, and said so, otherwise.
//  3. Playwright end-to-end tests in Chromium against the built app on an embedded database.
// Ends with one "N passed, N failed" line over all of them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const reports = mkdtempSync(path.join(tmpdir(), "switchboard-reports-"));
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

function run(label, command, args, env = {}) {
  console.log(`\n=== ${label} ===`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) exitCode = 1;
  return result.status === 0;
}

function countVitest(file) {
  // A suite whose setup never finishes can exit 0 having run nothing: count that as a failure.
  const report = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
  if (!report || report.numTotalTests === 0) {
    console.error(`Vitest ran no test (${path.basename(file)}).`);
    totals.failed += 1;
    exitCode = 1;
    return;
  }
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests + (report.numTotalTestSuites > 0 && report.success === false && report.numFailedTests === 0 ? 1 : 0);
  totals.skipped += report.numPendingTests + report.numTodoTests;
}

function countPlaywright(file) {
  if (!existsSync(file)) {
    console.error("Playwright wrote no report.");
    totals.failed += 1;
    exitCode = 1;
    return;
  }
  const { stats } = JSON.parse(readFileSync(file, "utf8"));
  totals.passed += stats.expected + stats.flaky;
  totals.failed += stats.unexpected;
  totals.skipped += stats.skipped;
}

async function postgresUrl() {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const candidate = "postgresql://postgres@127.0.0.1:5432/postgres";
  const client = new pg.Client({ connectionString: candidate, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return candidate;
  } catch {
    return null;
  }
}

if (!existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
  run("prisma generate", process.execPath, ["scripts/prisma.mjs", "generate"]);
}

const pgliteReport = path.join(reports, "vitest-pglite.json");
run("Vitest on PGlite", bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${pgliteReport}`]);
countVitest(pgliteReport);

const serverUrl = await postgresUrl();
if (serverUrl) {
  const postgresReport = path.join(reports, "vitest-postgres.json");
  run(`Vitest on PostgreSQL (${new URL(serverUrl).host})`, bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${postgresReport}`], {
    TEST_DATABASE_URL: serverUrl,
  });
  countVitest(postgresReport);
} else {
  console.log("\n=== Vitest on PostgreSQL: skipped (no TEST_DATABASE_URL and nothing answers at 127.0.0.1:5432) ===");
}

const playwrightReport = path.join(reports, "playwright.json");
run("Playwright end-to-end (Chromium)", bin("playwright"), ["test"], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport,
});
countPlaywright(playwrightReport);

rmSync(reports, { recursive: true, force: true });
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));
