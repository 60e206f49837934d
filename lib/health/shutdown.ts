import "server-only";
import { getDatabase } from "@/lib/db";
import { getEventTransport } from "@/lib/events/transport";
import { startDraining } from "@/lib/health/draining";

/** Options of the graceful shutdown; the defaults are what `next start` gets. */
export type GracefulShutdownOptions = {
  /** How long open requests may take to finish after SIGTERM before the process exits anyway. */
  graceMs: number;
};

/**
 * On SIGTERM (and SIGINT): readiness turns 503 and live-event streams end with a reconnect hint
 * (the draining signal), open requests finish, then the event listener and the database are
 * released and the process exits 0.
 *
 * `next start` has its own handler, registered before this one: it closes the listening socket
 * (new connections are refused, so a balancer retries them elsewhere), waits until every open
 * connection is done and then calls process.exit(143). That is the "requests finished" moment, so
 * this wraps process.exit to release our connections first and report a clean exit. Streams never
 * finish by themselves, which is why draining ends them; anything still open after `graceMs` is
 * cut off.
 */
export function installGracefulShutdown({ graceMs }: GracefulShutdownOptions) {
  let shuttingDown = false;
  const shutDown = () => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`Shutting down: draining, open requests have ${graceMs / 1000} s`);
    const exit = process.exit.bind(process);
    let exiting = false;
    const finish = () => {
      if (exiting) return;
      exiting = true;
      void releaseConnections().finally(() => exit(0));
    };
    process.exit = (() => finish()) as typeof process.exit;
    setTimeout(finish, graceMs).unref();
    startDraining();
  };
  process.on("SIGTERM", shutDown);
  process.on("SIGINT", shutDown);
}

async function releaseConnections() {
  const transport = getEventTransport() as ReturnType<typeof getEventTransport> & { close?: () => Promise<void> };
  await Promise.allSettled([
    // Redis: the subscriber and publisher; the LISTEN connection closes with the database.
    transport.close?.(),
    getDatabase().close(),
  ]);
}
