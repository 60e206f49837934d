import "server-only";
import { openDatabase, type Database } from "@/lib/db-client";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// Next may evaluate this module in more than one bundle of the same process, and a PGlite folder
// must have exactly one owner, so the connection lives on globalThis. It opens on first use, not
// on import, so `next build` never touches the database.
const globalForDb = globalThis as unknown as { switchboardDb?: Database };

export function getDatabase(): Database {
  globalForDb.switchboardDb ??= openDatabase();
  return globalForDb.switchboardDb;
}

/** Replaces the process's database (tests open their own). */
export function setDatabase(database: Database) {
  globalForDb.switchboardDb = database;
}

export const prisma = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDatabase().prisma;
    const value = Reflect.get(client, property);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
