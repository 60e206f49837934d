import { readFileSync } from "node:fs";
import { afterAll, inject } from "vitest";
import { getDatabase, setDatabase } from "@/lib/db";
import { openDatabase, openPglite } from "@/lib/db-client";

/**
 * Points lib/db, for the calling test file, at a connection of its own that records every SQL
 * statement (on the run's database or PGlite template), and back after the file. For tests that
 * count statements or round trips instead of timing anything. Call at the file's top level.
 */
export function logStatements(): string[] {
  const statements: string[] = [];
  const url = inject("databaseUrl");
  const template = inject("pgliteTemplate");
  const shared = getDatabase();
  const logged = url
    ? openDatabase({ engine: "postgres", url }, { onQuery: (sql) => statements.push(sql) })
    : openPglite(null, new Blob([readFileSync(template!)]), { onQuery: (sql) => statements.push(sql) });
  setDatabase(logged);
  afterAll(async () => {
    setDatabase(shared);
    await logged.close();
  });
  return statements;
}
