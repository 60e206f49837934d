import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { afterCommit } from "@/lib/db-client";

describe("afterCommit", () => {
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
