import { AsyncLocalStorage } from "node:async_hooks";
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { parseDatabaseUrl, type DatabaseTarget } from "@/lib/database-url";
import type { Backoff } from "@/lib/events/backoff";
import { createPostgresListener } from "@/lib/events/postgres-listener";

/**
 * Receives the payload of every NOTIFY on a channel, and a call of `onReconnect` whenever the
 * LISTEN connection came back after being lost (NOTIFYs sent meanwhile were missed); returns a
 * function that stops listening.
 */
export type Listen = (
  channel: string,
  onPayload: (payload: string) => void,
  onReconnect?: () => void,
) => Promise<() => Promise<void>>;

export type Database = {
  prisma: PrismaClient;
  target: DatabaseTarget;
  listen: Listen;
  close: () => Promise<void>;
};

export type DatabaseOptions = {
  /** Delays between attempts to get a lost LISTEN connection back (PostgreSQL only). */
  listenerBackoff?: Backoff;
  /** Most connections the PostgreSQL pool opens (pg's default: 10). */
  poolSize?: number;
  /** Called with every SQL statement the client sends (tests that count round trips). */
  onQuery?: (sql: string) => void;
};

/**
 * How long a transaction may wait for a connection and then run. Prisma's defaults (2 s, 5 s)
 * fail requests as soon as a burst outnumbers the pool (50 channel messages at once on a pool of
 * 10, queued on their conversations' locks): under load they wait their turn instead.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/** A Prisma client on this adapter, reporting its statements to `onQuery` when given. */
function newPrismaClient(adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]["adapter"]>, onQuery?: (sql: string) => void) {
  if (!onQuery) return withAfterCommit(new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS }));
  const client = new PrismaClient({ adapter, transactionOptions: TRANSACTION_OPTIONS, log: [{ emit: "event", level: "query" }] });
  // The generated types only offer $on("query") when `log` is inferred literally; it is here.
  (client as unknown as { $on(event: "query", listener: (event: { query: string }) => void): void }).$on("query", (event) => onQuery(event.query));
  return withAfterCommit(client);
}

/**
 * Opens the database named by DATABASE_URL. The app holds one of these per process
 * (lib/db.ts); scripts and tests open their own.
 */
export function openDatabase(target: DatabaseTarget = parseDatabaseUrl(), options: DatabaseOptions = {}): Database {
  if (target.engine === "postgres") return openPostgres(target, options);
  return openPglite(target.dataDir, undefined, options);
}

/** Thrown when another live process holds the PGlite folder (see lockDataDir). */
export class DatabaseInUseError extends Error {}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Makes this process the only one that opens a PGlite folder: two embedded Postgres instances on
 * one folder do not see each other's writes and corrupt it (e.g. `npm run sb` while `npm start`
 * serves). PGlite has no lock of its own, so the owner's pid goes into `<folder>.lock`, created
 * exclusively; a lock whose process is gone (a crash) is taken over. Returns the release function.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw error;
      const owner = Number(readFileSync(lockFile, "utf8").trim());
      if (owner !== process.pid && Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new DatabaseInUseError(
          `The embedded database ${dataDir} is in use by another process (pid ${owner}, e.g. npm start). ` +
            "Stop it first, or run Switchboard on PostgreSQL (DATABASE_URL=postgres://…) to use both at once.",
        );
      }
      unlinkSync(lockFile);
    }
  }
  const release = () => {
    try {
      if (readFileSync(lockFile, "utf8").trim() === String(process.pid)) unlinkSync(lockFile);
    } catch {
      // Already gone.
    }
  };
  process.once("exit", release);
  return release;
}

export function openPglite(dataDir: string | null, loadDataDir?: Blob, { onQuery }: DatabaseOptions = {}): Database {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  // Queries wait for PGlite to be ready, so the client is usable at once.
  // pg_trgm backs the conversation search indexes (CREATE EXTENSION in the migrations).
  const pglite = new PGlite({ dataDir: dataDir ?? undefined, extensions: { pg_trgm }, ...(loadDataDir ? { loadDataDir } : {}) });
  const prisma = newPrismaClient(new PrismaPGlite(pglite), onQuery);
  return {
    prisma,
    target: { engine: "pglite", dataDir },
    // In-process: there is no connection to lose, so onReconnect is never called.
    listen: (channel, onPayload) => pglite.listen(channel, onPayload),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

function openPostgres(target: Extract<DatabaseTarget, { engine: "postgres" }>, { listenerBackoff, poolSize, onQuery }: DatabaseOptions): Database {
  const adapter = new PrismaPg({ connectionString: target.url, ...(poolSize ? { max: poolSize } : {}) });
  const prisma = newPrismaClient(adapter, onQuery);
  // LISTEN needs a connection of its own that stays open; one per process serves every channel.
  const listener = createPostgresListener(target.url, { backoff: listenerBackoff });
  return {
    prisma,
    target,
    listen: listener.listen,
    close: async () => {
      await prisma.$disconnect();
      await listener.close();
    },
  };
}

const pendingAfterCommit = new AsyncLocalStorage<(() => void)[]>();

/**
 * Runs `callback` once the transaction the caller is in (a `prisma.$transaction` of a client from
 * openDatabase) has committed; never if it rolls back. Returns false, and does nothing, outside
 * such a transaction. Prisma's interactive transactions have no hook of their own for this.
 */
export function afterCommit(callback: () => void): boolean {
  const pending = pendingAfterCommit.getStore();
  if (!pending) return false;
  pending.push(callback);
  return true;
}

/**
 * The client with a `$transaction` that gives each transaction its own afterCommit scope. Code
 * that receives `tx` and calls afterCommit deep inside needs no change: the scope follows the
 * async calls. A transaction started inside another's callback is a transaction of its own, with
 * its own scope, as it commits on its own.
 */
function withAfterCommit(client: PrismaClient): PrismaClient {
  const transaction = (async (...args: unknown[]) => {
    const pending: (() => void)[] = [];
    // Awaited inside run: Prisma's promises start on `then`, which must happen in the scope.
    const result = await pendingAfterCommit.run(pending, async () =>
      await (client.$transaction as (...a: unknown[]) => Promise<unknown>)(...args),
    );
    for (const callback of pending) {
      try {
        callback();
      } catch (error) {
        // The transaction has committed; a failing callback must not make the caller think otherwise.
        console.error("afterCommit callback failed", error);
      }
    }
    return result;
  }) as PrismaClient["$transaction"];
  return new Proxy(client, {
    get(target, property) {
      if (property === "$transaction") return transaction;
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
