import { Redis } from "ioredis";
import { afterCommit } from "@/lib/db-client";
import { exponentialBackoff, type Backoff } from "@/lib/events/backoff";
import { receivePayload, type EventTransport } from "@/lib/events/notice";
import { EVENTS_CHANNEL } from "@/lib/events/types";

/** The CLIENT SETNAME of the subscriber connection (the publisher's ends in `-publisher`). */
export const REDIS_CONNECTION_NAME = "switchboard-events";

export type RedisTransportOptions = {
  /** The pub/sub channel; instances that share it wake each other. */
  channel?: string;
  connectionName?: string;
  backoff?: Backoff;
};

/**
 * Wake-ups through Redis pub/sub, published after the writing transaction commits, so writers
 * never queue on PostgreSQL's notify lock. The subscriber reconnects with backoff (ioredis) and
 * then has every reader reread, as messages published while it was away are gone.
 */
export function createRedisTransport(
  url: string,
  { channel = EVENTS_CHANNEL, connectionName = REDIS_CONNECTION_NAME, backoff = exponentialBackoff() }: RedisTransportOptions = {},
): EventTransport & { close: () => Promise<void> } {
  const retryStrategy = (times: number) => backoff(times - 1);
  let publisher: Redis | null = null;
  let warnedNoScope = false;
  const subscribers = new Set<Redis>();

  const reportOnce = (() => {
    let reported = false;
    return (what: string, error: unknown) => {
      if (reported) return;
      reported = true;
      // Readers still catch up through the safety poll; one line per outage is enough.
      console.error(`Redis event transport: ${what}`, error instanceof Error ? error.message : error);
      setTimeout(() => (reported = false), 60_000).unref();
    };
  })();

  const publish = (message: string) => {
    publisher ??= new Redis(url, {
      connectionName: `${connectionName}-publisher`,
      retryStrategy,
      // A wake-up held back through a long outage is worth little; fail it after a few retries.
      maxRetriesPerRequest: 2,
    }).on("error", (error) => reportOnce("publisher", error));
    publisher.publish(channel, message).catch((error: unknown) => reportOnce("publish failed", error));
  };

  return {
    async announce(_tx, notice) {
      const message = JSON.stringify(notice);
      if (afterCommit(() => publish(message))) return;
      // Not inside a prisma.$transaction of ours: nothing tells us when the write commits. Announce
      // now; a reader woken too early finds nothing yet and catches up at the next poll.
      if (!warnedNoScope) {
        warnedNoScope = true;
        console.warn("publishConversationEvent ran outside prisma.$transaction; its wake-up may come early");
      }
      publish(message);
    },

    async signal(notice) {
      publish(JSON.stringify(notice));
    },

    async receive(receiver) {
      const subscriber = new Redis(url, {
        connectionName,
        retryStrategy,
        // Subscribed again by hand below, so the reread starts only once SUBSCRIBE is in place.
        autoResubscribe: false,
        lazyConnect: true,
        maxRetriesPerRequest: null,
      });
      subscribers.add(subscriber);
      let subscribed = false;
      subscriber.on("error", (error) => reportOnce("subscriber", error));
      subscriber.on("message", (from: string, payload: string) => {
        if (from === channel) receivePayload(payload, receiver);
      });
      subscriber.on("ready", () => {
        if (!subscribed) return;
        subscriber.subscribe(channel).then(
          () => receiver.onResync(),
          // Lost again before SUBSCRIBE answered: the next "ready" tries again.
          () => {},
        );
      });
      try {
        await subscriber.connect();
        await subscriber.subscribe(channel);
        subscribed = true;
      } catch (error) {
        subscribers.delete(subscriber);
        subscriber.disconnect();
        throw error;
      }
      return async () => {
        subscribers.delete(subscriber);
        subscriber.disconnect();
      };
    },

    async close() {
      for (const subscriber of subscribers) subscriber.disconnect();
      subscribers.clear();
      publisher?.disconnect();
      publisher = null;
    },
  };
}
