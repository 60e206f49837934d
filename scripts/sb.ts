/**
 * Switchboard's command line, for whoever runs the server (it opens DATABASE_URL directly, so it
 * acts without a signed-in member):
 *   npm run sb -- token create --bot <bot id or name> [--name N]
 *   npm run sb -- token create --user <email> [--name N]
 *   npm run sb -- token list
 *   npm run sb -- token revoke <prefix>
 *   npm run sb -- storage migrate
 * The lib modules import "server-only", which only resolves to an empty module under Node's
 * "react-server" condition; without it this script re-runs itself with the condition.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const USAGE = `Usage:
  npm run sb -- token create --bot <bot id or name> [--name <token name>]
  npm run sb -- token create --user <email> [--name <token name>]
  npm run sb -- token list
  npm run sb -- token revoke <prefix>
  npm run sb -- storage migrate   copy STORAGE_DIR's files to STORAGE_URL (s3://…), each verified by SHA-256`;

const hasReactServerCondition = process.execArgv.some((arg, index, all) =>
  arg === "--conditions=react-server" || arg === "-C=react-server" || ((arg === "--conditions" || arg === "-C") && all[index + 1] === "react-server"),
);

if (!hasReactServerCondition) {
  const result = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(result.status ?? 1);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function formatDate(date: Date | null): string {
  return date ? date.toISOString().replace("T", " ").slice(0, 16) : "-";
}

async function main() {
  const { positionals, values } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { bot: { type: "string" }, user: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const [group, command, argument] = positionals;
  if (values.help || !command) fail(USAGE);
  if (group === "storage") return command === "migrate" ? migrateStorage() : fail(USAGE);
  if (group !== "token") fail(USAGE);

  const { openDatabase } = await import("@/lib/db-client");
  const { setDatabase } = await import("@/lib/db");
  const { toAppError } = await import("@/lib/errors");
  const tokens = await import("@/lib/tokens/mutations");
  const { listAllTokensUnchecked } = await import("@/lib/tokens/queries");
  let database: ReturnType<typeof openDatabase>;
  try {
    database = openDatabase();
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  setDatabase(database);
  try {
    switch (command) {
      case "create": {
        if (Boolean(values.bot) === Boolean(values.user)) fail(`Pass exactly one of --bot or --user.\n\n${USAGE}`);
        let created: { token: string; item: { kind: string; name: string } };
        let owner: string;
        if (values.bot) {
          const bot = await tokens.createBotTokenUnchecked(values.bot, values.name);
          // The bot's id is what the channel API's URL needs (POST /api/v1/bots/<id>/messages).
          [created, owner] = [bot, `bot "${bot.botName}" (id ${bot.botId})`];
        } else {
          [created, owner] = [await tokens.createPersonalTokenUnchecked(values.user!, values.name), `user ${values.user}`];
        }
        console.log(`Created ${created.item.kind === "BOT" ? "bot" : "personal"} token "${created.item.name}" for ${owner}.`);
        console.log("Copy it now; it is not shown again:\n");
        console.log(created.token);
        break;
      }
      case "list": {
        const all = await listAllTokensUnchecked();
        if (all.length === 0) {
          console.log("No tokens yet. Create one with: npm run sb -- token create --bot <bot>");
          break;
        }
        const rows = all.map((t) => [
          t.prefix,
          t.kind === "BOT" ? "bot" : "personal",
          t.botName ?? t.userEmail ?? "-",
          t.name,
          formatDate(t.createdAt),
          formatDate(t.lastUsedAt),
          t.revokedAt ? `revoked ${formatDate(t.revokedAt)}` : "active",
        ]);
        const header = ["PREFIX", "KIND", "FOR", "NAME", "CREATED", "LAST USED", "STATUS"];
        const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
        for (const row of [header, ...rows]) console.log(row.map((cell, column) => cell.padEnd(widths[column])).join("  ").trimEnd());
        break;
      }
      case "revoke": {
        if (!argument) fail(`Pass the token's prefix (see "token list").\n\n${USAGE}`);
        const revoked = await tokens.revokeTokenByPrefixUnchecked(argument);
        console.log(`Revoked token ${revoked.prefix} ("${revoked.name}").`);
        break;
      }
      default:
        fail(USAGE);
    }
  } catch (error) {
    const appError = toAppError(error);
    console.error(appError.message);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

/** Copies every file of the local folder to the S3 storage; needs no database. Safe to re-run. */
async function migrateStorage() {
  const { env } = await import("@/lib/env");
  const { localFileStorage, s3StorageFromEnv } = await import("@/lib/storage");
  const { copyStorage } = await import("@/lib/storage/migrate");
  if (!env.STORAGE_URL) fail("Set STORAGE_URL=s3://bucket/prefix (and the AWS_* variables) to the storage to copy to.");
  console.log(`Copying ${env.STORAGE_DIR} to ${env.STORAGE_URL}…`);
  const report = await copyStorage(localFileStorage(env.STORAGE_DIR), s3StorageFromEnv(env.STORAGE_URL), (key, outcome, reason) =>
    console.log(`${outcome === "failed" ? "FAILED" : outcome.padEnd(13)}  ${key}${reason ? `: ${reason}` : ""}`),
  );
  console.log(`${report.copied} copied, ${report.alreadyThere} already there (same SHA-256), ${report.failed.length} failed.`);
  if (report.failed.length > 0) {
    console.error("Run the command again to retry the failed files; keep STORAGE_URL unset until it reports none.");
    process.exitCode = 1;
  }
}

await main();
