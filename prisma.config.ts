// Prisma CLI configuration. Run the CLI through `npm run prisma -- …` (scripts/prisma.mjs), which
// supplies our offline schema engine (scripts/schema-engine.mjs) that serves PGlite and PostgreSQL.
import { defineConfig } from "prisma/config";
import { parseDatabaseUrl } from "./lib/database-url";

// The CLI only accepts URLs with a known protocol, so PGlite (DATABASE_URL unset, pglite:<dir> or
// pglite:memory) is passed to the engine as postgresql://pglite/<absolute folder> or
// postgresql://pglite/memory; PostgreSQL URLs pass unchanged.
const target = parseDatabaseUrl();
const url =
  target.engine === "postgres"
    ? target.url
    : `postgresql://pglite/${target.dataDir ? target.dataDir.split("/").map(encodeURIComponent).join("/") : "memory"}`;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url },
});
