import path from "node:path";
// Relative, not "@/": prisma.config.ts loads this file outside the app's module resolution.
import { env } from "./env";

/** Where the data lives, read from DATABASE_URL (see README "Configuration"). */
export type DatabaseTarget =
  | { engine: "pglite"; dataDir: string | null } // null: in memory
  | { engine: "postgres"; url: string };

export const DEFAULT_PGLITE_DIR = "data/pglite";

/**
 * unset → PGlite in ./data/pglite; `pglite:<dir>` → PGlite in that folder;
 * `pglite:memory` → PGlite in memory; `postgres://…` / `postgresql://…` → PostgreSQL.
 */
export function parseDatabaseUrl(url: string | undefined = env.DATABASE_URL): DatabaseTarget {
  const value = url?.trim();
  if (!value) return { engine: "pglite", dataDir: path.resolve(DEFAULT_PGLITE_DIR) };
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
    return { engine: "postgres", url: value };
  }
  if (value.startsWith("pglite:")) {
    const location = value.slice("pglite:".length);
    if (location === "memory" || location === "") return { engine: "pglite", dataDir: null };
    return { engine: "pglite", dataDir: path.resolve(location) };
  }
  throw new Error(
    `DATABASE_URL must be pglite:<dir>, pglite:memory or postgres://…; got "${value.split(":")[0]}:…"`,
  );
}
