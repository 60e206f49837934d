import pg from "pg";
import { exponentialBackoff, type Backoff } from "@/lib/events/backoff";

/** The application_name of the LISTEN connection, to find it in pg_stat_activity. */
export const LISTENER_APPLICATION_NAME = "switchboard-listener";

type Handlers = { onPayload: (payload: string) => void; onReconnect?: () => void };

/**
 * One LISTEN connection per process that outlives its connection: the server may end it at any
 * time (restart, failover, pg_terminate_backend, an idle timeout), and then every NOTIFY until it
 * is back is lost. On `error`/`end` it reconnects with backoff, LISTENs again and only then calls
 * every `onReconnect`, so a subscriber that rereads its table at that point misses nothing.
 */
export type PostgresListenerOptions = {
  backoff?: Backoff;
  applicationName?: string;
  /**
   * How often the idle connection is asked `SELECT 1`; no answer within the same time counts as a
   * lost connection. A server that vanishes without closing the socket (a failover, a dropped NAT
   * entry) sends neither `error` nor `end`, and TCP keepalive would take many minutes to notice.
   */
  heartbeatMs?: number;
};

export function createPostgresListener(
  url: string,
  { backoff = exponentialBackoff(), applicationName = LISTENER_APPLICATION_NAME, heartbeatMs = 30_000 }: PostgresListenerOptions = {},
) {
  const channels = new Map<string, Set<Handlers>>();
  let client: pg.Client | null = null;
  // Settles when `client` has LISTENed on every channel; rejects if that connection failed.
  let ready: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let attempt = 0;
  let closed = false;
  // Until the first connection succeeds a failure goes to the caller of listen, not to retries.
  let established = false;

  const quote = (channel: string) => `"${channel.replaceAll('"', '""')}"`;

  const heartbeat = setInterval(() => {
    const current = client;
    if (!current || !established) return;
    void ready
      ?.then(async () => {
        let timer: NodeJS.Timeout | undefined;
        const silent = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error("No answer to the heartbeat")), heartbeatMs);
        });
        try {
          await Promise.race([current.query("SELECT 1"), silent]);
        } finally {
          clearTimeout(timer);
        }
      })
      .catch(() => lost(current));
  }, heartbeatMs);
  heartbeat.unref();

  const lost = (which: pg.Client) => {
    if (which !== client) return;
    client = null;
    ready = null;
    which.end().catch(() => {});
    if (established) scheduleReconnect();
  };

  const connect = () => {
    const next = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true });
    client = next;
    next.on("notification", (message) => {
      for (const handlers of channels.get(message.channel) ?? []) handlers.onPayload(message.payload ?? "");
    });
    // Without an `error` listener a dropped connection would throw from the event emitter.
    next.on("error", () => lost(next));
    next.on("end", () => lost(next));
    ready = (async () => {
      await next.connect();
      // A channel added while this loop runs is seen by it: Map iteration includes later entries.
      for (const channel of channels.keys()) await next.query(`LISTEN ${quote(channel)}`);
    })();
    return { next, ready };
  };

  function scheduleReconnect() {
    if (closed || retry) return;
    retry = setTimeout(async () => {
      retry = null;
      const { next, ready: listening } = connect();
      try {
        await listening;
      } catch {
        lost(next);
        return;
      }
      if (client !== next) return;
      attempt = 0;
      for (const handlers of [...channels.values()].flatMap((set) => [...set])) handlers.onReconnect?.();
    }, backoff(attempt++));
    retry.unref();
  }

  return {
    /**
     * Calls `onPayload` with every NOTIFY on `channel`, and `onReconnect` after a lost connection
     * is back (notifications may have been missed). Rejects if the first connection fails.
     */
    async listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void) {
      if (closed) throw new Error("The listener is closed");
      const handlers: Handlers = { onPayload, onReconnect };
      let set = channels.get(channel);
      const isNewChannel = !set;
      if (!set) channels.set(channel, (set = new Set()));
      set.add(handlers);
      const unlisten = async () => {
        set.delete(handlers);
      };
      if (!client && !retry) {
        const { next, ready: listening } = connect();
        try {
          await listening;
          established = true;
        } catch (error) {
          lost(next);
          set.delete(handlers);
          throw error;
        }
      } else if (ready) {
        const current = client;
        try {
          await ready;
          if (isNewChannel) await current?.query(`LISTEN ${quote(channel)}`);
        } catch {
          // The connection dropped meanwhile; its replacement LISTENs on every channel.
        }
      }
      return unlisten;
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      if (retry) clearTimeout(retry);
      retry = null;
      const current = client;
      client = ready = null;
      await current?.end().catch(() => {});
    },
  };
}
