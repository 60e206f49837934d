import "server-only";
import { getDatabase } from "@/lib/db";
import { getEventTransport } from "@/lib/events/transport";
import { startDraining } from "@/lib/health/draining";

/** Options of the graceful shutdown (instrumentation.ts passes the SHUTDOWN_* settings). */
export type GracefulShutdownOptions = {
  /**
   * After SIGTERM, how long the instance keeps serving while /api/ready answers 503, so a
   * balancer's health checks take it out of rotation before it stops accepting connections.
   * SIGINT (Ctrl-C in a terminal) skips this wait.
   */
  announceMs: number;
  /** Then, how long open requests may take to finish before the process exits anyway. */
  graceMs: number;
};

/**
 * On SIGTERM: readiness turns 503 and live-event streams end with a reconnect hint (the draining
 * signal); after `announceMs` the server stops accepting connections and open requests finish;
 * then the event receiver and the database are released and the process exits 0.
 *
 * Closing the listening socket and waiting for open connections is `next start`'s own signal
 * handler, registered before this runs. It is taken off here and called after the announce wait,
 * because it closes the socket at once: a balancer would then see refused connections instead of
 * a 503. It ends with process.exit(143), which is wrapped to release our connections first and
 * report a clean exit. Streams never finish by themselves, which is why draining ends them.
 */
export function installGracefulShutdown({ announceMs, graceMs }: GracefulShutdownOptions) {
  // Installed twice, the second would take the first for Next's handler and run it late.
  const globalForShutdown = globalThis as unknown as { switchboardShutdownInstalled?: boolean };
  if (globalForShutdown.switchboardShutdownInstalled) return;
  globalForShutdown.switchboardShutdownInstalled = true;
  const nextHandlers = new Map<NodeJS.Signals, NodeJS.SignalsListener[]>();
  let shuttingDown = false;

  const shutDown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const waitMs = signal === "SIGTERM" ? announceMs : 0;
    console.log(`${signal}: draining; closing in ${waitMs / 1000} s, then open requests have ${graceMs / 1000} s`);
    const exit = process.exit.bind(process);
    let exiting = false;
    const finish = () => {
      if (exiting) return;
      exiting = true;
      void releaseConnections().finally(() => exit(0));
    };
    process.exit = (() => finish()) as typeof process.exit;
    startDraining();
    setTimeout(() => {
      const handlers = nextHandlers.get(signal) ?? [];
      for (const handler of handlers) handler(signal);
      // Without a server handler (NEXT_MANUAL_SIG_HANDLE) nothing waits for open requests but the clock.
      setTimeout(finish, handlers.length ? graceMs : 0).unref();
    }, waitMs);
  };

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const earlier = process.listeners(signal) as NodeJS.SignalsListener[];
    nextHandlers.set(signal, earlier);
    for (const handler of earlier) process.off(signal, handler);
    process.on(signal, shutDown);
  }
}

async function releaseConnections() {
  const transport = getEventTransport() as ReturnType<typeof getEventTransport> & { close?: () => Promise<void> };
  await Promise.allSettled([
    // Redis: the subscriber and publisher; the LISTEN connection closes with the database.
    transport.close?.(),
    getDatabase().close(),
  ]);
}
