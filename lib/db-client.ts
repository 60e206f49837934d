import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { parseDatabaseUrl, type DatabaseTarget } from "@/lib/database-url";

/** Receives the payload of every NOTIFY on a channel; returns a function that stops listening. */
export type Listen = (channel: string, onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

export type Database = {
  prisma: PrismaClient;
  target: DatabaseTarget;
  listen: Listen;
  close: () => Promise<void>;
};

/**
 * Opens the database named by DATABASE_URL. The app holds one of these per process
 * (lib/db.ts); scripts and tests open their own.
 */
export function openDatabase(target: DatabaseTarget = parseDatabaseUrl()): Database {
  if (target.engine === "postgres") return openPostgres(target);
  return openPglite(target.dataDir);
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

export function openPglite(dataDir: string | null, loadDataDir?: Blob): Database {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  // Queries wait for PGlite to be ready, so the client is usable at once.
  const pglite = new PGlite({ dataDir: dataDir ?? undefined, ...(loadDataDir ? { loadDataDir } : {}) });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    prisma,
    target: { engine: "pglite", dataDir },
    listen: (channel, onPayload) => pglite.listen(channel, onPayload),
    close: async () => {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

function openPostgres(target: Extract<DatabaseTarget, { engine: "postgres" }>): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
  // LISTEN needs a connection of its own that stays open; one per process serves every channel.
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    prisma,
    target,
    listen: async (channel, onPayload) => {
      if (!listener) {
        listener = new pg.Client({ connectionString: target.url });
        await listener.connect();
        listener.on("notification", (message) => {
          for (const handler of handlers.get(message.channel) ?? []) handler(message.payload ?? "");
        });
      }
      let channelHandlers = handlers.get(channel);
      if (!channelHandlers) {
        channelHandlers = new Set();
        handlers.set(channel, channelHandlers);
        await listener.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      }
      channelHandlers.add(onPayload);
      return async () => {
        channelHandlers.delete(onPayload);
      };
    },
    close: async () => {
      await prisma.$disconnect();
      await listener?.end();
    },
  };
}
