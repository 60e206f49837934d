#!/usr/bin/env node
/**
 * Our own Prisma schema engine: a drop-in replacement for the native `schema-engine` binary.
 *
 * Why: the Prisma CLI runs migrations (`migrate dev|deploy|status|diff|reset`, `db push`, ...)
 * through a native schema-engine executable that it downloads on first use. This machine (and
 * our deployments) may have no internet, and the native engine cannot talk to PGlite anyway.
 * Prisma also publishes its schema engine compiled to WebAssembly (@prisma/schema-engine-wasm),
 * which talks to the database through a JS driver adapter. This script wraps that wasm engine in
 * the same command-line + JSON-RPC interface as the native binary, so the unmodified CLI can use
 * it: scripts/prisma.mjs points PRISMA_SCHEMA_ENGINE_BINARY here.
 *
 * How the CLI uses the engine (see node_modules/prisma/build/cli.js):
 *   schema-engine --version
 *       → prints "schema-engine-cli <hash>" (shown by `prisma version`).
 *   schema-engine --datasource '{"url":…}' cli <can-connect-to-database|create-database|drop-database>
 *       → one-shot command; exit code 0 on success. On failure, exit code 1 and JSON log lines
 *         on stderr, one of them {"level":"ERROR","target":"schema_engine::logger",
 *         "fields":{"error_code":"P1003","message":…}} (the CLI skips stderr's first line).
 *         P1003 ("database does not exist") makes `migrate dev`/`db push` call create-database.
 *   schema-engine [--datamodels <schema file>]... [--datasource '{"url":…}'] [other flags]
 *       → JSON-RPC 2.0 server: one request per line on stdin, one response per line on stdout,
 *         JSON log lines on stderr. The CLI ends stdin and sends SIGTERM right away when done.
 *         Two differences from the wasm engine are bridged here:
 *         - `diff`: the wasm engine returns the script in `result.stdout`; the CLI expects the
 *           engine to send it a `print` request and wait for the reply.
 *         - the wasm engine's errors are plain Errors; they become JSON-RPC errors shaped like
 *           the native ones ({data: {is_panic, message}}).
 *
 * Database URLs. The CLI forwards prisma.config.ts's `datasource.url` unchanged, and it parses it
 * as a URL with a known protocol (`pglite:` makes it fail), so PGlite travels as a sentinel
 * PostgreSQL URL with host `pglite`:
 *   postgresql://pglite/<location>  ⇔  DATABASE_URL pglite:<location>
 *     e.g. postgresql://pglite//abs/dir (absolute folder), postgresql://pglite/data/pglite
 *     (relative to the working directory), postgresql://pglite/memory (in-memory PGlite).
 *     Path segments are URI-encoded (spaces etc.).
 *   postgres://… | postgresql://… (any other host)  → PostgreSQL via @prisma/adapter-pg (`?schema=`
 *     honoured). A real server whose host name is "pglite" cannot be used.
 *   For convenience the DATABASE_URL forms are accepted too: empty → ./data/pglite,
 *   pglite:<dir>, pglite:memory (see lib/database-url.ts, which this mirrors).
 * prisma.config.ts passes `postgresql://pglite/<absolute folder>`, so the engine's working
 * directory (the CLI sets it to the project root) does not matter.
 *
 * PGlite notes:
 * - A PGlite folder may be open in one process only. The JSON-RPC engine opens it when it starts
 *   (the wasm engine probes the database then, even for `migrate diff --from-empty`, which
 *   therefore creates the folder if missing) and closes it before exiting, including on
 *   SIGTERM/SIGINT. Do not run Prisma commands while the app holds the same folder.
 * - "The database exists" means "the folder exists"; create-database creates and initialises it.
 * - Shadow databases (migrate dev, diff --from-migrations) are throw-away in-memory PGlites.
 * - pglite-prisma-adapter 0.7.2's executeScript() neither awaits nor reports errors, so a failing
 *   migration would be recorded as applied; we replace it with a version that does both.
 */

import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";

const LOG_TARGET = "schema_engine_js";

// stdout carries the JSON-RPC protocol only: route stray console output (libraries, Emscripten)
// to stderr as log lines, which the CLI collects.
for (const [method, level] of [["log", "INFO"], ["info", "INFO"], ["debug", "DEBUG"], ["warn", "WARN"], ["error", "ERROR"]]) {
  console[method] = (...args) => log(level, args.map(String).join(" "));
}

function writeStderrLine(record) {
  process.stderr.write(JSON.stringify(record) + "\n");
}

function log(level, message, target = LOG_TARGET) {
  writeStderrLine({ timestamp: new Date().toISOString(), level, fields: { message }, target });
}

// ───────────────────────────── command line ─────────────────────────────

function parseArgs(argv) {
  const args = { datamodels: [], datasource: null, cliCommand: null, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    switch (arg) {
      case "--datamodels":
        args.datamodels.push(argv[++i]);
        break;
      case "--datasource":
        args.datasource = JSON.parse(argv[++i]);
        break;
      case "--enabled-preview-features": // not needed by the wasm engine
      case "--extension-types":
        i++;
        break;
      case "-V":
      case "--version":
        args.version = true;
        break;
      case "-h":
      case "--help":
        args.help = true;
        break;
      case "cli":
        args.cliCommand = argv[++i] ?? "";
        break;
      default:
        throw new Error(`Unknown argument: ${arg}`);
    }
  }
  return args;
}

// ───────────────────────────── database URLs ─────────────────────────────

const DEFAULT_PGLITE_DIR = "data/pglite";
const PGLITE_SENTINEL_PREFIX = "postgresql://pglite/";

/**
 * Where the database is, from the url the CLI forwarded (see the top of this file).
 * @returns {{ engine: "pglite", dataDir: string | null } | { engine: "postgres", url: string }}
 */
function parseDatabaseUrl(url) {
  const value = url?.trim();
  if (!value) return { engine: "pglite", dataDir: path.resolve(DEFAULT_PGLITE_DIR) };
  if (value.startsWith(PGLITE_SENTINEL_PREFIX)) {
    const location = value.slice(PGLITE_SENTINEL_PREFIX.length).split("/").map(decodeURIComponent).join("/");
    return pgliteTarget(location);
  }
  if (value.startsWith("pglite:")) return pgliteTarget(value.slice("pglite:".length));
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) return { engine: "postgres", url: value };
  throw new UserFacingError(
    "P1013",
    `The provided database string is invalid. Expected pglite:<dir>, pglite:memory or postgres://…, got "${value.split(":")[0]}:…".`,
  );
}

function pgliteTarget(location) {
  if (location === "memory" || location === "") return { engine: "pglite", dataDir: null };
  return { engine: "pglite", dataDir: path.resolve(location) };
}

/** An error the native engine would report with a Prisma error code. */
class UserFacingError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

// ───────────────────────────── PGlite ─────────────────────────────

/** Opens a PGlite folder (created if missing), or an in-memory database, optionally from a dump. */
async function openPglite(dataDir, loadDataDir) {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // pg_trgm: the migrations create it for the search indexes.
  const db = new PGlite({ dataDir: dataDir ?? undefined, extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  await db.waitReady;
  return db;
}

/** Replaces the adapter's fire-and-forget executeScript() with one that waits and reports errors. */
function withAwaitedScripts(adapter, db) {
  adapter.executeScript = async (script) => {
    try {
      await db.exec(script);
    } catch (error) {
      adapter.onError(error); // rethrows database errors as DriverAdapterError
    }
  };
  return adapter;
}

/** A migration-aware adapter factory over one PGlite folder (or memory). */
async function pgliteAdapterFactory(dataDir) {
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  let main = null; // Promise<PGlite>
  const openMain = () => (main ??= openPglite(dataDir));
  const shadows = new Set();
  // Creating a PGlite runs initdb (~2-3 s); `migrate dev` asks for several shadow databases, so
  // later ones start from a dump of the first one taken while it was still empty (~0.5 s).
  let emptyDump = null; // Promise<Blob | null>
  const openShadow = async () => {
    const dump = await emptyDump;
    if (dump) return openPglite(null, dump);
    const db = await openPglite(null);
    emptyDump ??= db.dumpDataDir("none").catch(() => null);
    await emptyDump;
    return db;
  };
  return {
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    async connect() {
      const db = await openMain();
      return withAwaitedScripts(await new PrismaPGlite(db).connect(), db);
    },
    async connectToShadowDb() {
      const shadow = await openShadow();
      shadows.add(shadow);
      const adapter = withAwaitedScripts(await new PrismaPGlite(shadow).connect(), shadow);
      adapter.dispose = async () => {
        shadows.delete(shadow);
        await shadow.close();
      };
      return adapter;
    },
    async close() {
      for (const shadow of shadows) await shadow.close().catch(() => {});
      if (main) await (await main).close();
    },
  };
}

// ───────────────────────────── PostgreSQL ─────────────────────────────

async function postgresAdapterFactory(url) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const schema = new URL(url).searchParams.get("schema") ?? undefined;
  const connect = async (connectionString) =>
    withCharColumns(await new PrismaPg({ connectionString }, schema ? { schema } : undefined).connect());
  // Adapters still open at exit are disposed then (the wasm engine does not always dispose them).
  const open = new Set();
  const track = (adapter, afterDispose = async () => {}) => {
    const dispose = adapter.dispose.bind(adapter);
    open.add(adapter);
    adapter.dispose = async () => {
      if (!open.delete(adapter)) return;
      await dispose();
      await afterDispose();
    };
    return adapter;
  };
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: async () => track(await connect(url)),
    // A temporary database on the same server, dropped on dispose (the role needs CREATEDB).
    // Not PrismaPg's own connectToShadowDb(): given a connection string, it connects the
    // "shadow" adapter to the main database (the string's database wins over its override).
    async connectToShadowDb() {
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await withPgClient(url, {}, (client) => client.query(`CREATE DATABASE ${quoteIdent(name)}`));
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${encodeURIComponent(name)}`;
      const dropShadow = () => withPgClient(url, {}, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
      try {
        return track(await connect(shadowUrl.toString()), dropShadow);
      } catch (error) {
        await dropShadow();
        throw error;
      }
    },
    async close() {
      for (const adapter of [...open].reverse()) await adapter.dispose().catch(() => {});
    },
  };
}

const PG_CHAR_OID = 18; // the internal one-byte "char" type (pg_class.relkind, pg_constraint.contype, ...)
const PG_TEXT_OID = 25;

/**
 * @prisma/adapter-pg 7.10 rejects result columns of type "char" ("Column type 'char' could not be
 * deserialized"), which the wasm engine's schema description queries return (migrate dev fails).
 * Report them as Character columns, as pglite-prisma-adapter does; pg already returns them as strings.
 */
function withCharColumns(adapter) {
  const patch = (queryable) => {
    const queryRaw = queryable.queryRaw;
    queryable.queryRaw = async (query) => {
      const charColumns = [];
      // Run the adapter's own queryRaw, with its performIO presenting "char" columns as text.
      const view = Object.create(queryable, {
        performIO: {
          value: async (q) => {
            const result = await queryable.performIO(q);
            const fields = result.fields.map((field, i) => {
              if (field.dataTypeID !== PG_CHAR_OID) return field;
              charColumns.push(i);
              return { ...field, dataTypeID: PG_TEXT_OID };
            });
            return { ...result, fields, rows: result.rows };
          },
        },
      });
      const result = await queryRaw.call(view, query);
      for (const i of charColumns) result.columnTypes[i] = ColumnTypeEnum.Character;
      return result;
    };
    return queryable;
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patch(await startTransaction(...args));
  return patch(adapter);
}

function describePostgres(url) {
  const parsed = new URL(url);
  return {
    database: decodeURIComponent(parsed.pathname.slice(1)) || decodeURIComponent(parsed.username) || "postgres",
    location: `${parsed.hostname || "localhost"}:${parsed.port || 5432}`,
    user: decodeURIComponent(parsed.username),
  };
}

/** Runs `work` with a pg client connected to `url`, or to the server's `postgres` database. */
async function withPgClient(url, { maintenance = false } = {}, work) {
  const { default: pg } = await import("pg");
  const target = new URL(url);
  if (maintenance) target.pathname = "/postgres";
  target.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: target.toString() });
  try {
    await client.connect();
  } catch (error) {
    throw pgConnectionError(error, url);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Maps a pg error to the error the native engine reports. */
function pgConnectionError(error, url) {
  const { database, location, user } = describePostgres(url);
  switch (error.code) {
    case "3D000":
      return new UserFacingError("P1003", `Database \`${database}\` does not exist on the database server at \`${location}\`.`);
    case "28P01":
    case "28000":
      return new UserFacingError(
        "P1000",
        `Authentication failed against database server, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${location}\`.`,
      );
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
      return new UserFacingError(
        "P1001",
        `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`,
      );
    default:
      return error;
  }
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

// ───────────────────────────── `cli` subcommands ─────────────────────────────

const cliCommands = {
  async "can-connect-to-database"(target) {
    if (target.engine === "pglite") {
      if (target.dataDir && !isDirectory(target.dataDir)) {
        throw new UserFacingError("P1003", `Database \`${target.dataDir}\` does not exist (no PGlite folder there).`);
      }
      return; // opening it here would race with the engine process that is about to own it
    }
    await withPgClient(target.url, {}, (client) => client.query("SELECT 1"));
  },

  async "create-database"(target) {
    if (target.engine === "pglite") {
      if (!target.dataDir) return;
      const db = await openPglite(target.dataDir); // initialises the folder
      await db.close();
      log("INFO", `PGlite database created at ${target.dataDir}`);
      return;
    }
    const { database } = describePostgres(target.url);
    await withPgClient(target.url, { maintenance: true }, async (client) => {
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(database)}`);
      } catch (error) {
        if (error.code === "42P04") throw new UserFacingError("P1009", `Database \`${database}\` already exists on the database server`);
        throw error;
      }
    });
    log("INFO", `Database '${database}' was successfully created.`);
  },

  async "drop-database"(target) {
    if (target.engine === "pglite") {
      if (target.dataDir) rmSync(target.dataDir, { recursive: true, force: true });
      return;
    }
    const { database } = describePostgres(target.url);
    await withPgClient(target.url, { maintenance: true }, (client) => client.query(`DROP DATABASE ${quoteIdent(database)}`));
    log("INFO", `The database '${database}' was successfully dropped.`);
  },
};

function isDirectory(dir) {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

async function runCliCommand(name, datasource) {
  log("INFO", `Starting schema engine CLI command ${name}`); // the CLI ignores stderr's first line
  const command = cliCommands[name];
  try {
    if (!command) throw new Error(`Unknown cli command: ${name}`);
    await command(parseDatabaseUrl(datasource?.url));
    return 0;
  } catch (error) {
    writeStderrLine({
      timestamp: new Date().toISOString(),
      level: "ERROR",
      fields: { error_code: error.code?.startsWith?.("P") ? error.code : undefined, message: error.message },
      target: "schema_engine::logger",
    });
    return 1;
  }
}

// ───────────────────────────── the wasm engine ─────────────────────────────

let lastPanicMessage = null;

async function loadWasmEngine() {
  // The package's entry point imports the .wasm file as an ES module, which Node does not do
  // without a flag; instantiate it by hand with the generated bindings as the import object.
  const bindingsUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = await import(bindingsUrl);
  const wasmBytes = readFileSync(new URL("./schema_engine_bg.wasm", bindingsUrl));
  const { instance } = await WebAssembly.instantiate(wasmBytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  // The wasm engine reports the message of a Rust panic here before trapping.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = { set_message: (message) => (lastPanicMessage = message) };
  return bindings;
}

// ───────────────────────────── JSON-RPC server ─────────────────────────────

/** JSON-RPC methods the CLI may call that the wasm engine implements under the same name. */
const PASS_THROUGH = new Set([
  "applyMigrations",
  "dbExecute",
  "debugPanic",
  "devDiagnostic",
  "diagnoseMigrationHistory",
  "ensureConnectionValidity",
  "introspect",
  "introspectSql",
  "markMigrationApplied",
  "markMigrationRolledBack",
  "reset",
  "schemaPush",
]);

async function runRpcServer(args) {
  const wasm = await loadWasmEngine();
  const datamodels = args.datamodels.map((file) => [file, readFileSync(file, "utf8")]);
  const target = parseDatabaseUrl(args.datasource?.url);
  const factory = target.engine === "pglite" ? await pgliteAdapterFactory(target.dataDir) : await postgresAdapterFactory(target.url);
  const engine = await wasm.SchemaEngine.new(
    { datamodels: datamodels.length > 0 ? datamodels : undefined },
    (line) => process.stderr.write(line + "\n"), // already JSON log lines in the native format
    bindMigrationAwareSqlAdapterFactory(factory),
  );

  const send = (message) => process.stdout.write(JSON.stringify({ jsonrpc: "2.0", ...message }) + "\n");

  // Requests we send to the CLI (only `print`), waiting for its reply.
  const pendingReplies = new Map();
  let nextRequestId = 1;
  const callCli = (method, params) =>
    new Promise((resolve, reject) => {
      const id = `engine-${nextRequestId++}`;
      pendingReplies.set(id, { resolve, reject });
      send({ id, method, params });
    });

  const handlers = {
    async diff(params) {
      const { exitCode, stdout } = await engine.diff(params);
      // The CLI appends a newline to what it prints; the engine's script already ends with one.
      if (stdout) await callCli("print", { content: stdout.replace(/\n$/, "") });
      return { exitCode };
    },
    getDatabaseVersion: (params) => engine.version(params ?? undefined),
    async createDatabase(params) {
      const target = parseDatabaseUrl(params?.datasource?.url ?? args.datasource?.url);
      await cliCommands["create-database"](target);
      return { databaseName: target.engine === "postgres" ? describePostgres(target.url).database : (target.dataDir ?? "memory") };
    },
    evaluateDataLoss: (params) => withMigrationsSchema(engine, params, () => engine.evaluateDataLoss(params)),
    createMigration: (params) => withMigrationsSchema(engine, params, () => engine.createMigration(params)),
  };

  const handle = async (request) => {
    const { id, method, params } = request;
    try {
      let result;
      if (handlers[method]) result = await handlers[method](params);
      else if (PASS_THROUGH.has(method)) result = await engine[method](params);
      else {
        send({ id, error: { code: -32601, message: `Method not found: ${method}` } });
        return;
      }
      send({ id, result: result ?? {} });
    } catch (error) {
      const { rpc, panicked } = rpcError(error);
      send({ id, error: rpc });
      if (panicked) void shutdown(101); // the wasm instance is unusable after a panic
    }
  };

  // Requests are answered one at a time, in order; replies to our own requests bypass the queue.
  let queue = Promise.resolve();
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      send({ id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined) {
      const pending = pendingReplies.get(message.id);
      pendingReplies.delete(message.id);
      if (message.error) pending?.reject(new Error(message.error.message));
      else pending?.resolve(message.result);
      return;
    }
    queue = queue.then(() => handle(message));
  });

  let exiting = null;
  const shutdown = (code = 0) =>
    (exiting ??= (async () => {
      await queue.catch(() => {});
      try {
        await factory.close();
      } catch (error) {
        log("WARN", `Closing the database failed: ${error.message}`);
      }
      process.exit(code);
    })());

  lines.on("close", () => shutdown(0));
  process.on("SIGTERM", () => shutdown(0));
  process.on("SIGINT", () => shutdown(130));
}

/**
 * The wasm engine's evaluateDataLoss and createMigration have no shadow database of their own:
 * they reuse the schema of the migrations directory that devDiagnostic computed earlier in a
 * shadow database. devDiagnostic skips that when the database is behind (a fresh database in
 * `migrate dev`), and the call then fails with "shadow DB must be provided through an external
 * factory". In that case, compute it (the CLI has applied the migrations by then) and retry.
 */
async function withMigrationsSchema(engine, params, call) {
  try {
    return await call();
  } catch (error) {
    if (!/shadow DB must be provided through an external factory/.test(error?.message)) throw error;
    await engine.diagnoseMigrationHistory({
      migrationsList: params.migrationsList,
      optInToShadowDatabase: true,
      filters: params.filters,
    });
    return call();
  }
}

/** Converts a wasm engine error to a JSON-RPC error shaped like the native engine's. */
function rpcError(error) {
  const panicked = error instanceof WebAssembly.RuntimeError; // a Rust panic traps the wasm
  const message = panicked && lastPanicMessage ? lastPanicMessage : String(error?.message ?? error);
  const rpc = {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: {
      is_panic: panicked,
      message,
      backtrace: panicked ? error.stack : undefined,
      error_code: typeof error?.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined,
    },
  };
  return { rpc, panicked };
}

// ───────────────────────────── main ─────────────────────────────

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const { version } = await loadWasmEngine();
    process.stdout.write(`schema-engine-cli ${version()}\n`);
    return 0;
  }
  if (args.help) {
    process.stdout.write("Usage: schema-engine [--datamodels <file>]... [--datasource <json>] [cli <command>]\n");
    return 0;
  }
  if (args.cliCommand !== null) return runCliCommand(args.cliCommand, args.datasource);
  await runRpcServer(args);
  return null; // keeps running until stdin closes or a signal arrives
}

main().then(
  (code) => {
    if (code !== null) process.exit(code);
  },
  (error) => {
    log("ERROR", error?.stack ?? String(error), "schema_engine::logger");
    process.exit(1);
  },
);
