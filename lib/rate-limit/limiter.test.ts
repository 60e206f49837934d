import { randomUUID } from "node:crypto";
import { RateLimiterMemory, RateLimiterPostgres } from "rate-limiter-flexible";
import { afterEach, describe, expect, it, vi } from "vitest";
import { apiError } from "@/lib/api/envelope";
import { getDatabase, prisma } from "@/lib/db";
import { jsonErrorResponse } from "@/lib/http";
import { AppError } from "@/lib/errors";
import { assertShareLookupAllowed, clientIp, consumeApiToken, recordFailedShareLookup } from "@/lib/rate-limit";
import { expectAppError } from "@/lib/testing/assertions";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("consumeApiToken", () => {
  it("refuses a token over its limit with rate_limited, which both JSON error shapes send as 429 with Retry-After", async () => {
    process.env.RATE_LIMIT_API_TOKEN = "3/1m";
    const tokenId = randomUUID();
    for (let index = 0; index < 3; index += 1) await consumeApiToken(tokenId);
    const error = await expectAppError(consumeApiToken(tokenId), "rate_limited");
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(59);

    for (const response of [jsonErrorResponse(error), apiError(error)]) {
      expect(response.status).toBe(429);
      expect(response.headers.get("Retry-After")).toBe(String(error.retryAfterSeconds));
    }
    // Another token has its own count.
    await consumeApiToken(randomUUID());
  });

  it("keeps its counts where every instance sees them on PostgreSQL (a fresh limiter continues the count)", async () => {
    process.env.RATE_LIMIT_API_TOKEN = "3/1m";
    const tokenId = randomUUID();
    await consumeApiToken(tokenId);
    await consumeApiToken(tokenId);
    // What a second instance would start with: no limiter objects, only the store.
    (globalThis as { switchboardRateLimits?: { limiters: Map<string, unknown> } }).switchboardRateLimits!.limiters.clear();
    if (getDatabase().target.engine === "postgres") {
      expect(await prisma.rateLimit.findUnique({ where: { key: `api-token:${tokenId}` } })).toMatchObject({ points: 2 });
      await consumeApiToken(tokenId);
      await expectAppError(consumeApiToken(tokenId), "rate_limited");
    } else {
      // PGlite: one process owns the database, counts live in its memory.
      expect(await prisma.rateLimit.count()).toBe(0);
    }
  });

  it("is switched off by off", async () => {
    process.env.RATE_LIMIT_API_TOKEN = "off";
    const tokenId = randomUUID();
    for (let index = 0; index < 50; index += 1) await consumeApiToken(tokenId);
  });
});

describe("clientIp", () => {
  const headers = (forwardedFor: string) => new Headers({ "x-forwarded-for": forwardedFor });

  it("takes the proxy's hop, not the client's claims, when TRUST_PROXY is set", () => {
    process.env.TRUST_PROXY = "true";
    expect(clientIp(headers("6.6.6.6, 203.0.113.7"))).toBe("203.0.113.7");
    process.env.TRUST_PROXY = "false";
    expect(clientIp(headers("203.0.113.7"))).toBe("203.0.113.7");
    expect(clientIp(new Headers())).toBe("unknown");
  });

  it("keys IPv6 on the /64 and unwraps IPv4-mapped addresses", () => {
    expect(clientIp(headers("2001:db8:0:12:aaaa::1"))).toBe("2001:db8:0:12::/64");
    expect(clientIp(headers("2001:DB8:0:12:ffff:1:2:3"))).toBe("2001:db8:0:12::/64");
    expect(clientIp(headers("::1"))).toBe("0:0:0:0::/64");
    expect(clientIp(headers("::ffff:192.0.2.1"))).toBe("192.0.2.1");
    expect(clientIp({ "x-forwarded-for": "192.0.2.9" })).toBe("192.0.2.9");
  });
});

describe("assertShareLookupAllowed", () => {
  it("lets checks of one address that overlap share one read of its count, still refusing it once over the limit", async () => {
    process.env.RATE_LIMIT_SHARE_LOOKUP_IP = "3/10m";
    const ip = `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const reads = [vi.spyOn(RateLimiterMemory.prototype, "get"), vi.spyOn(RateLimiterPostgres.prototype, "get")];
    try {
      await Promise.all(Array.from({ length: 20 }, () => assertShareLookupAllowed(ip)));
      expect(reads.reduce((sum, read) => sum + read.mock.calls.length, 0)).toBe(1);

      for (let index = 0; index < 3; index += 1) await recordFailedShareLookup(ip);
      const refusals = await Promise.all(Array.from({ length: 5 }, () => assertShareLookupAllowed(ip).catch((error: unknown) => error)));
      expect(refusals.every((refusal) => refusal instanceof AppError && refusal.code === "rate_limited")).toBe(true);
    } finally {
      for (const read of reads) read.mockRestore();
    }
  });
});
