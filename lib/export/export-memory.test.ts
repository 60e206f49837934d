import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { ExportEntry } from "@/lib/export/entries";
import type { ExportFormat } from "@/lib/export/formats";
import { PARQUET_ROW_GROUP_ROWS } from "@/lib/export/parquet";
import { openConversationExport } from "@/lib/export/queries";
import { exportResponse } from "@/lib/export/response";
import { collectGarbage } from "@/lib/storage/memory-probe";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import type { UserActor } from "@/lib/auth/actor";

const MESSAGES = 10_000;
const TEXT_CHARS = 2_000;
const MiB = 1024 * 1024;
/** Long enough for a producer that ignores backpressure to read most of the conversation. */
const STALL_MS = 1_500;

/** What the process holds alive: the JS heap and the buffers outside it. */
async function liveBytes(): Promise<number> {
  // Twice, a turn apart: V8 frees large array buffers' memory after a collection, not during it.
  collectGarbage();
  await sleep(20);
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Reads the export like a slow client: it stalls after the first chunk (`onStall` runs then),
 * then pauses after every chunk. Returns the bytes read and the largest growth of live memory
 * over the start, measured after a collection every few chunks: a producer that ran ahead of the
 * reader, or gathered the file first, would hold it.
 */
async function readSlowly(body: ReadableStream<Uint8Array>, onStall: () => void = () => {}): Promise<{ bytes: number; growth: number }> {
  const start = await liveBytes();
  let peak = start;
  let bytes = 0;
  let chunks = 0;
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (++chunks === 1) {
      await sleep(STALL_MS);
      onStall();
    }
    if (chunks % 8 === 0) peak = Math.max(peak, await liveBytes());
    await sleep(2);
  }
  return { bytes, growth: Math.max(peak, await liveBytes()) - start };
}

/** The entries, counting how many the export has pulled from the database so far. */
function counted<T>(entries: AsyncIterable<T>): { entries: AsyncIterable<T>; pulled: () => number } {
  let pulled = 0;
  return {
    entries: (async function* () {
      for await (const entry of entries) {
        pulled++;
        yield entry;
      }
    })(),
    pulled: () => pulled,
  };
}

describe("exporting a 10,000-message conversation", () => {
  let owner: UserActor;
  let conversationId: string;

  beforeAll(async () => {
    const org = await createOrganization();
    owner = org.owner.actor;
    conversationId = (await createConversation(org.bot.id, [])).conversation.id;
    for (let start = 0; start < MESSAGES; start += 1000) {
      await prisma.message.createMany({
        data: Array.from({ length: 1000 }, (_, i) => ({
          conversationId,
          role: (start + i) % 2 === 0 ? ("CONTACT" as const) : ("BOT" as const),
          // Random, so Parquet cannot compress it away: the file is about as large as the text.
          text: randomBytes((TEXT_CHARS * 3) / 4).toString("base64"),
        })),
      });
    }
    // Warm up: the first export of each format loads its code and grows the database's own
    // buffers (PGlite's WebAssembly memory counts as array buffers here) once.
    for (const format of ["csv", "parquet"] as const) await readSlowly(await exportBody(format));
  }, 300_000);

  const exportBody = async (format: ExportFormat, entries?: (all: AsyncIterable<ExportEntry>) => AsyncIterable<ExportEntry>) => {
    const all = (await openConversationExport(owner, conversationId)).entries;
    return exportResponse(format, "big", entries ? entries(all) : all).body!;
  };

  it.each(["csv", "parquet"] as const)("streams %s with memory far below its size, reading only as fast as the client", async (format) => {
    let progress: ReturnType<typeof counted<ExportEntry>> | undefined;
    let pulledDuringStall = 0;
    const body = await exportBody(format, (all) => (progress = counted(all)).entries);
    const { bytes, growth } = await readSlowly(body, () => (pulledDuringStall = progress!.pulled()));
    // While the client stalled after its first chunk, at most about a row group more was read.
    expect(pulledDuringStall).toBeLessThanOrEqual(2 * PARQUET_ROW_GROUP_ROWS);
    expect(bytes).toBeGreaterThan(MESSAGES * TEXT_CHARS * 0.9);
    // At most a few batches (500 messages, about 1 MB of text, or one row group) are alive at once.
    expect(growth).toBeLessThan(Math.min(12 * MiB, (MESSAGES * TEXT_CHARS) / 2));
  }, 300_000);
});
