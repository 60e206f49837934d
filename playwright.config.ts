import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * A port nothing listens on, asked of the OS by binding port 0. Synchronous (the config is loaded
 * synchronously), so a short child process does the asking.
 */
function freePort(): number {
  const probe = "const s = require('node:net').createServer().listen(0, () => { process.stdout.write(String(s.address().port)); s.close(); });";
  const { stdout, status } = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8" });
  const port = Number(stdout);
  if (status !== 0 || !Number.isInteger(port) || port <= 0) throw new Error("Could not find a free port for the e2e server; set E2E_PORT.");
  return port;
}

// E2E_PORT, or a free port, so a run does not fail because something already listens on a fixed
// one. Written back to the environment because the workers load this file again and must reach
// the same server (as E2E_DATA_DIR below).
const PORT = Number(process.env.E2E_PORT ?? freePort());
process.env.E2E_PORT = String(PORT);
const baseURL = `http://localhost:${PORT}`;
// Each run serves the built app on a fresh embedded database and file folder, seeded with the demo data.
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "switchboard-e2e-"));
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // npm test asks for a JSON report too (PLAYWRIGHT_JSON_OUTPUT_NAME) to print one total.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [["list"], ["json"]] : [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: "node scripts/start.mjs",
    url: `${baseURL}/login`,
    timeout: 600_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      APP_URL: baseURL,
      DATABASE_URL: `pglite:${path.join(dataDir, "pglite")}`,
      STORAGE_DIR: path.join(dataDir, "files"),
      NEXTAUTH_SECRET: "e2e-secret-not-for-production",
      // The webhook tests' receivers listen on 127.0.0.1.
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    },
  },
});
