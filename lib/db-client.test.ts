import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { afterCommit } from "@/lib/db-client";

describe("afterCommit", () => {
  // The file's fresh database loads on first use, which on a busy machine outlasts a transaction's
  // 2 s wait for a connection; this file's first query is better not a transaction.
  beforeAll(async () => {
    await prisma.$queryRaw`SELECT 1`;
  });

  it("runs after its own transaction commits, never after a rollback, and refuses outside a transaction", async () => {
    const log: string[] = [];
    expect(afterCommit(() => log.push("outside"))).toBe(false);

    await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      // Registered deep in an awaited call, as publishConversationEvent does with the `tx` it is given.
      await (async () => afterCommit(() => log.push("committed")))();
      await tx.$queryRaw`SELECT 1`;
      log.push("body done");
    });
    await prisma
      .$transaction(async () => {
        afterCommit(() => log.push("rolled back"));
        throw new Error("roll back");
      })
      .catch(() => {});

    expect(log).toEqual(["body done", "committed"]);
  });
});
