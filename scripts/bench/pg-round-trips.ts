/**
 * A loopback TCP proxy in front of PostgreSQL that counts round trips: every Sync (extended
 * protocol) and simple Query a client sends is one wait for the server. The app and the bare
 * references both connect through it, so both pay its small cost and both are counted alike.
 */
import net from "node:net";

export type RoundTripProxy = { url: string; count: () => number; close: () => Promise<void> };

export async function startRoundTripProxy(databaseUrl: string): Promise<RoundTripProxy> {
  const target = new URL(databaseUrl);
  let roundTrips = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    client.on("data", (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      for (;;) {
        if (!started) {
          // The startup message (and an SSLRequest) has no type byte.
          if (pending.length - at < 8) break;
          const length = pending.readUInt32BE(at);
          if (pending.length - at < length) break;
          const code = pending.readUInt32BE(at + 4);
          at += length;
          if (code !== 80877103) started = true; // not an SSLRequest
          continue;
        }
        if (pending.length - at < 5) break;
        const type = pending[at];
        const length = pending.readUInt32BE(at + 1);
        if (pending.length - at < length + 1) break;
        if (type === 0x53 /* S */ || type === 0x51 /* Q */) roundTrips++;
        at += length + 1;
      }
      pending = pending.subarray(at);
      upstream.write(chunk);
    });
    upstream.on("data", (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    count: () => roundTrips,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
