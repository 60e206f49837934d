/**
 * Runs in each test file's process: opens that file's own database (a fresh in-memory PGlite
 * loaded from the migrated template, or the shared PostgreSQL test database) and a temporary
 * file storage, and makes them the ones the app code uses.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";
import { openDatabase, openPglite } from "@/lib/db-client";
import { setDatabase } from "@/lib/db";
import { localFileStorage, setFileStorage } from "@/lib/storage";

const databaseUrl = inject("databaseUrl");
const template = inject("pgliteTemplate");

const database = databaseUrl
  ? openDatabase({ engine: "postgres", url: databaseUrl })
  : openPglite(null, new Blob([readFileSync(template!)]));
setDatabase(database);

const storageDir = mkdtempSync(path.join(tmpdir(), "switchboard-files-"));
setFileStorage(localFileStorage(storageDir));

afterAll(async () => {
  await database.close();
  rmSync(storageDir, { recursive: true, force: true });
});
