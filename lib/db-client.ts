import { mkdirSync } from "node:fs";
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

export function openPglite(dataDir: string | null, loadDataDir?: Blob): Database {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
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
