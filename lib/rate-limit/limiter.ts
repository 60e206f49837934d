import "server-only";
import pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { getDatabase } from "@/lib/db";
import type { RateLimitSetting } from "@/lib/env";
import { rateLimited } from "@/lib/errors";

/** A named limit and its current setting (null: switched off). */
export type Limit = { name: string; setting: RateLimitSetting | null };

// Created by a migration (prisma/schema.prisma RateLimit) rather than by the library at run time,
// so every instance finds it and the schema stays Prisma's.
const TABLE = "rate_limits";

// Limiters and pools live on globalThis: Next may evaluate this module in more than one bundle
// of a process, and the memory store must be one per process to count anything.
type LimiterState = {
  pools: Map<string, pg.Pool>;
  limiters: Map<string, RateLimiterAbstract>;
  /** Reads of a key's count under way, by limiter: checks of one key that overlap would read the same count, so they share one read. */
  reads: WeakMap<RateLimiterAbstract, Map<string, Promise<RateLimiterRes | null>>>;
};
const state = ((globalThis as { switchboardRateLimits?: LimiterState }).switchboardRateLimits ??= {
  pools: new Map(),
  limiters: new Map(),
  reads: new WeakMap(),
});

function poolFor(url: string): pg.Pool {
  let pool = state.pools.get(url);
  if (!pool) {
    // A small pool of its own: a limit check must not wait behind Prisma's queries, and two
    // connections are plenty for one-row upserts. allowExitOnIdle lets scripts and tests end.
    pool = new pg.Pool({ connectionString: url, max: 2, idleTimeoutMillis: 30_000, allowExitOnIdle: true });
    pool.on("error", (error: Error) => console.error("rate limit pool:", error.message));
    state.pools.set(url, pool);
  }
  return pool;
}

/**
 * The limiter for this limit on this database: PostgreSQL stores counts in a table every instance
 * shares, so the limits hold across instances; on PGlite (one process owns the database) counts
 * stay in memory. Should PostgreSQL fail, the limiter falls back to memory rather than refuse.
 */
function limiterFor(name: string, setting: RateLimitSetting): RateLimiterAbstract {
  const target = getDatabase().target;
  const storeKey = target.engine === "postgres" ? target.url : "memory";
  const key = `${name}|${setting.points}|${setting.seconds}|${storeKey}`;
  let limiter = state.limiters.get(key);
  if (!limiter) {
    const options = { keyPrefix: name, points: setting.points, duration: setting.seconds };
    limiter =
      target.engine === "postgres"
        ? new RateLimiterPostgres({
            ...options,
            storeClient: poolFor(target.url),
            storeType: "pool",
            tableName: TABLE,
            tableCreated: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
    state.limiters.set(key, limiter);
  }
  return limiter;
}

function readCount(name: string, setting: RateLimitSetting, key: string): Promise<RateLimiterRes | null> {
  const limiter = limiterFor(name, setting);
  let reads = state.reads.get(limiter);
  if (!reads) state.reads.set(limiter, (reads = new Map()));
  let reading = reads.get(key);
  if (!reading) {
    const underWay = (reading = limiter.get(key));
    reads.set(key, underWay);
    const done = () => {
      if (reads.get(key) === underWay) reads.delete(key);
    };
    underWay.then(done, done);
  }
  return reading;
}

const secondsUntil = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** Refuses (rate_limited) when the key has no points left, without using one. */
export async function assertWithinLimit(limit: Limit, key: string, message?: (seconds: number) => string): Promise<void> {
  if (!limit.setting) return;
  const res = await readCount(limit.name, limit.setting, key);
  if (res && res.consumedPoints >= limit.setting.points) {
    const seconds = secondsUntil(res);
    throw rateLimited(seconds, message?.(seconds));
  }
}

/** Uses points for the key; refuses (rate_limited) when that goes over the limit. */
export async function consumeLimit(limit: Limit, key: string, points = 1, message?: (seconds: number) => string): Promise<void> {
  if (!limit.setting) return;
  try {
    await limiterFor(limit.name, limit.setting).consume(key, points);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = secondsUntil(error);
    throw rateLimited(seconds, message?.(seconds));
  }
}

/** Uses points for the key without refusing anything (counts failures after the fact). */
export async function countAgainstLimit(limit: Limit, key: string, points = 1): Promise<void> {
  if (!limit.setting) return;
  await limiterFor(limit.name, limit.setting).penalty(key, points);
}

/** Forgets the key's count (a successful sign-in clears the account's failures). */
export async function resetLimit(limit: Limit, key: string): Promise<void> {
  if (!limit.setting) return;
  await limiterFor(limit.name, limit.setting).delete(key);
}
