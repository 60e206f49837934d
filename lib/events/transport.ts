import "server-only";
import { getDatabase, prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { receivePayload, type EventTransport } from "@/lib/events/notice";
import { createRedisTransport } from "@/lib/events/redis-transport";
import { EVENTS_CHANNEL } from "@/lib/events/types";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The conversations each open transaction has announced (forgotten with the transaction's client). */
const announcedInTransaction = new WeakMap<Prisma.TransactionClient, Set<string>>();

/**
 * The default: NOTIFY inside the writing transaction, which PostgreSQL delivers at commit (never on
 * rollback), LISTEN in every instance. Works on PGlite too. Its cost: at commit every notifying
 * transaction takes one global lock, which caps write throughput (see README "Event transport").
 */
export const postgresNotifyTransport: EventTransport = {
  async announce(tx, notice) {
    // Every NOTIFY of a transaction is delivered at its commit and wakes the conversation's readers,
    // who read all its new events: one per conversation per transaction is enough.
    let announced = announcedInTransaction.get(tx);
    if (announced?.has(notice.conversationId)) return;
    // pg_notify returns void, which $queryRaw cannot deserialize; run it for its effect only.
    await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`;
    if (!announced) announcedInTransaction.set(tx, (announced = new Set()));
    announced.add(notice.conversationId);
  },
  async signal(notice) {
    await prisma.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`;
  },
  receive: (receiver) => getDatabase().listen(EVENTS_CHANNEL, (payload) => receivePayload(payload, receiver), receiver.onResync),
};

const globalForTransport = globalThis as unknown as { switchboardEventTransport?: EventTransport };

/** The process's transport: Redis pub/sub when EVENTS_URL is set, else PostgreSQL NOTIFY. */
export function getEventTransport(): EventTransport {
  globalForTransport.switchboardEventTransport ??= env.EVENTS_URL
    ? createRedisTransport(env.EVENTS_URL)
    : postgresNotifyTransport;
  return globalForTransport.switchboardEventTransport;
}

/** Replaces the process's transport (tests and the benchmark choose their own). */
export function setEventTransport(transport: EventTransport) {
  globalForTransport.switchboardEventTransport = transport;
}
