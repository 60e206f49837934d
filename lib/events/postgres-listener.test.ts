import { randomBytes } from "node:crypto";
import net from "node:net";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { createPostgresListener } from "@/lib/events/postgres-listener";

const databaseUrl = inject("databaseUrl");

/** A TCP relay to the database whose current connections can be made to go silent, as in a failover. */
async function silenceableRelay(target: URL) {
  const pairs: { silenced: boolean; sockets: net.Socket[] }[] = [];
  const server = net.createServer((incoming) => {
    const outgoing = net.connect(Number(target.port || 5432), target.hostname);
    const pair = { silenced: false, sockets: [incoming, outgoing] };
    pairs.push(pair);
    incoming.on("data", (chunk) => pair.silenced || outgoing.write(chunk));
    outgoing.on("data", (chunk) => pair.silenced || incoming.write(chunk));
    for (const socket of pair.sockets) socket.on("error", () => {}).on("close", () => pair.sockets.forEach((other) => other.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: url.toString(),
    /** Drops every byte of the open connections from now on, without closing them. */
    silence: () => pairs.forEach((pair) => (pair.silenced = true)),
    close: () => {
      pairs.forEach((pair) => pair.sockets.forEach((socket) => socket.destroy()));
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.runIf(databaseUrl)(
  "LISTEN connection that goes silent (PostgreSQL; skipped on PGlite, which has no connection — set TEST_DATABASE_URL)",
  () => {
    const cleanups: (() => unknown)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it("notices by its heartbeat, reconnects and reports the reconnect", async () => {
      const relay = await silenceableRelay(new URL(databaseUrl!));
      cleanups.push(relay.close);
      const channel = `listener_test_${randomBytes(6).toString("hex")}`;
      const listener = createPostgresListener(relay.url, { heartbeatMs: 300, backoff: () => 50, applicationName: "switchboard-listener-test" });
      cleanups.push(listener.close);
      const payloads: string[] = [];
      let reconnects = 0;
      await listener.listen(channel, (payload) => payloads.push(payload), () => (reconnects += 1));
      const notifier = new pg.Client({ connectionString: databaseUrl });
      await notifier.connect();
      cleanups.push(() => notifier.end());
      const notify = (payload: string) => notifier.query("SELECT pg_notify($1, $2)", [channel, payload]);

      await notify("before");
      await expect.poll(() => payloads, { timeout: 5_000 }).toEqual(["before"]);
      relay.silence();
      await notify("while silent");
      await expect.poll(() => reconnects, { timeout: 5_000 }).toBe(1);
      await notify("after");
      await expect.poll(() => payloads, { timeout: 5_000 }).toEqual(["before", "after"]);
    });
  },
);
