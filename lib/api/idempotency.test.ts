import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withIdempotency, type IdempotencyScope } from "@/lib/api/idempotency";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

const scope = (): IdempotencyScope => ({ actorKey: `token-${randomUUID()}`, key: "k-1", requestHash: "h" });

/** A `run` that writes an organization through the transaction, then answers `status` (or throws). */
function writingRun(slug: string, answer: number | Error) {
  let calls = 0;
  const run = async (tx: Prisma.TransactionClient) => {
    calls += 1;
    await tx.organization.create({ data: { name: "Idempotent", slug: `${slug}-${calls}` } });
    if (answer instanceof Error) throw answer;
    return Response.json({ slug, calls }, { status: answer });
  };
  return { run, calls: () => calls };
}

const written = (slug: string) => prisma.organization.count({ where: { slug: { startsWith: `${slug}-` } } });

describe("withIdempotency", () => {
  it("commits the work with its answer and replays that answer without running again", async () => {
    const slug = randomUUID();
    const key = scope();
    const { run, calls } = writingRun(slug, 201);

    const first = await withIdempotency(key, run);
    const again = await withIdempotency(key, run);

    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.text()).toBe(await first.text());
    expect(calls()).toBe(1);
    expect(await written(slug)).toBe(1);
  });

  it("keeps nothing a failed answer wrote, and frees the key for a corrected retry", async () => {
    for (const answer of [422, new Error("the process failed midway")]) {
      const slug = randomUUID();
      const key = scope();
      const failing = writingRun(slug, answer);
      if (answer instanceof Error) await expect(withIdempotency(key, failing.run)).rejects.toThrow("midway");
      else expect((await withIdempotency(key, failing.run)).status).toBe(422);
      expect(await written(slug)).toBe(0);

      const retry = await withIdempotency(key, writingRun(slug, 201).run);
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBeNull();
      expect(await written(slug)).toBe(1);
    }
  });

  it("rolls back a failed answer without a key too", async () => {
    const slug = randomUUID();
    expect((await withIdempotency(null, writingRun(slug, 409).run)).status).toBe(409);
    expect(await written(slug)).toBe(0);
    expect((await withIdempotency(null, writingRun(slug, 201).run)).status).toBe(201);
    expect(await written(slug)).toBe(1);
  });

  it("refuses the same key with another request", async () => {
    const key = scope();
    await withIdempotency(key, writingRun(randomUUID(), 201).run);
    await expect(withIdempotency({ ...key, requestHash: "other" }, writingRun(randomUUID(), 201).run)).rejects.toMatchObject({ code: "unprocessable" });
  });
});
