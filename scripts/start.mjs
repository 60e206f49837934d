#!/usr/bin/env node
// npm start: build once (reused while the sources are unchanged), apply migrations, seed demo data
// into an empty database, then serve. Honours PORT, DATABASE_URL, APP_URL and STORAGE_DIR.
import { spawnSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const port = process.env.PORT || "3000";
const appUrl = (process.env.APP_URL || `http://localhost:${port}`).replace(/\/+$/, "");
const env = {
  ...process.env,
  PORT: port,
  APP_URL: appUrl,
  NEXTAUTH_URL: process.env.NEXTAUTH_URL || appUrl,
  NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET || authSecret(),
  NEXT_TELEMETRY_DISABLED: "1",
};

function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`\n${command} ${args.join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status || 1);
  }
}

/** A secret for signing sessions, made once and kept beside the data (set NEXTAUTH_SECRET in production). */
function authSecret() {
  const file = path.join(root, "data", "auth-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** A fingerprint of everything that goes into the build, so an unchanged tree skips `next build`. */
function sourceFingerprint() {
  const hash = createHash("sha256");
  const visit = (entry) => {
    if (!existsSync(entry)) return;
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const child of readdirSync(entry).sort()) visit(path.join(entry, child));
    } else {
      hash.update(entry).update(readFileSync(entry));
    }
  };
  // instrumentation.ts and proxy.ts are compiled into the build too: a change to them alone must rebuild.
  for (const entry of ["app", "components", "lib", "public", "prisma/schema.prisma", "next.config.ts", "instrumentation.ts", "proxy.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"]) {
    visit(entry);
  }
  return hash.digest("hex");
}

const npmBin = (name) => path.join(root, "node_modules", ".bin", name);
const fingerprintFile = path.join(root, ".next", "switchboard-source-hash");

if (!existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
  run(process.execPath, ["scripts/prisma.mjs", "generate"]);
}
const fingerprint = sourceFingerprint();
const built = existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(fingerprintFile) && readFileSync(fingerprintFile, "utf8") === fingerprint;
if (built) {
  console.log("Reusing the existing build (.next).");
} else {
  run(npmBin("next"), ["build"]);
  writeFileSync(fingerprintFile, fingerprint);
}
run(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"]);
run(npmBin("tsx"), ["prisma/seed.ts"]);

console.log(`\nSwitchboard is starting at ${appUrl}`);
// LISTEN_HOST (e.g. 127.0.0.1) binds one interface only; by default next listens on all of them.
const host = process.env.LISTEN_HOST ? ["-H", process.env.LISTEN_HOST] : [];
const server = spawn(npmBin("next"), ["start", "-p", port, ...host], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
