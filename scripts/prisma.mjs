#!/usr/bin/env node
/**
 * Runs the project's Prisma CLI offline: `npm run prisma -- <args>` (or `node scripts/prisma.mjs <args>`).
 *
 * - PRISMA_SCHEMA_ENGINE_BINARY points the CLI at scripts/schema-engine.mjs (the wasm schema
 *   engine behind the native engine's interface), so it never downloads the native binary and
 *   migrations work against PGlite as well as PostgreSQL.
 * - The other variables stop update checks, telemetry and engine checksum downloads.
 * The database comes from DATABASE_URL, via prisma.config.ts.
 */

import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";

const cli = fileURLToPath(new URL("../node_modules/prisma/build/index.js", import.meta.url));
const engine = fileURLToPath(new URL("./schema-engine.mjs", import.meta.url));

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: engine,
  CHECKPOINT_DISABLE: "1", // no update check / telemetry ("checkpoint") requests
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: "1", // never fetch engine checksums
};

const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: "inherit", env });

// Ctrl-C already reaches the CLI and its engine (same process group): just wait for them to exit,
// so that the engine can close a PGlite folder cleanly. Forward a SIGTERM sent to us alone.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));

child.on("exit", (code, signal) => process.exit(signal ? 128 + os.constants.signals[signal] : (code ?? 1)));
