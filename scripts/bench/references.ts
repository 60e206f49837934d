/**
 * The bare references the benchmark compares Switchboard with, in one node:http process of their
 * own (so its CPU and memory are measured apart from the benchmark's client):
 *   GET  /page              the share page's HTML, from memory (BENCH_PAGE_FILE)
 *   GET  /events            an SSE stream; POST /publish sends its body to every open stream
 *   GET  /download          the files of BENCH_FILES (a JSON list of paths) back to back, streamed
 *   POST /round-trips?n=K   K round trips to PostgreSQL (DATABASE_URL) in one transaction, one of
 *                           them a SELECT … FOR UPDATE of one conversation row: what a request of
 *                           Switchboard's costs the database, without the framework and the ORM
 * Prints its port on stdout once listening (loopback, port chosen by the system).
 */
import { createReadStream, readFileSync } from "node:fs";
import http from "node:http";
import { pipeline } from "node:stream/promises";
import pg from "pg";

const page = process.env.BENCH_PAGE_FILE ? readFileSync(process.env.BENCH_PAGE_FILE) : Buffer.from("page");
const files: string[] = process.env.BENCH_FILES ? JSON.parse(readFileSync(process.env.BENCH_FILES, "utf8")) : [];
const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 }) : null;
const lockedRow = process.env.BENCH_LOCK_ROW ?? "";
const streams = new Set<http.ServerResponse>();

async function roundTrips(n: number) {
  const client = await pool!.connect();
  try {
    await client.query("BEGIN");
    await client.query('SELECT "id" FROM "Conversation" WHERE "id" = $1 FOR UPDATE', [lockedRow]);
    for (let index = 0; index < n - 3; index++) {
      await client.query('SELECT "id", "title", "messageCount" FROM "Conversation" WHERE "id" = $1', [lockedRow]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? "/", "http://reference");
  if (url.pathname === "/page") {
    response.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": page.length });
    return response.end(page);
  }
  if (url.pathname === "/events") {
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
    response.write(": open\n\n");
    streams.add(response);
    request.on("close", () => streams.delete(response));
    return;
  }
  if (url.pathname === "/publish") {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const frame = `event: message\ndata: ${Buffer.concat(chunks).toString()}\n\n`;
      for (const stream of streams) stream.write(frame);
      response.end(String(streams.size));
    });
    return;
  }
  if (url.pathname === "/download") {
    response.writeHead(200, { "Content-Type": "application/octet-stream" });
    (async () => {
      for (const file of files) await pipeline(createReadStream(file), response, { end: false });
      response.end();
    })().catch(() => response.destroy());
    return;
  }
  if (url.pathname === "/round-trips") {
    request.resume();
    roundTrips(Number(url.searchParams.get("n") ?? 3)).then(
      () => {
        response.writeHead(201, { "Content-Type": "application/json" });
        response.end(JSON.stringify({ success: true, data: { ok: true } }));
      },
      (error: unknown) => {
        response.writeHead(500);
        response.end(String(error));
      },
    );
    return;
  }
  response.writeHead(404);
  response.end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
});
process.on("SIGTERM", () => {
  for (const stream of streams) stream.destroy();
  server.close();
  void pool?.end();
  process.exit(0);
});
