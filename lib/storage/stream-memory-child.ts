/**
 * Run by storage.test.ts in a fresh process (`node --expose-gc --import tsx`), so its RSS is
 * this work's alone: writes a generated file of `megabytes` MiB to the storage and reads it back,
 * printing the peak RSS growth of each and the SHA-256 of what was written and read as JSON.
 * Args: megabytes, then "local" <folder> or "s3" <endpoint> <bucket> <prefix>.
 */
import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { localFileStorage } from "@/lib/storage/local";
import { createS3Client, s3FileStorage } from "@/lib/storage/s3";
import type { FileStorage } from "@/lib/storage/types";

const [megabytes, kind, ...rest] = process.argv.slice(2);
const storage: FileStorage =
  kind === "local"
    ? localFileStorage(rest[0])
    : s3FileStorage(createS3Client({ endpoint: rest[0], forcePathStyle: true }), { bucket: rest[1], prefix: rest[2] });

const CHUNK = 64 * 1024;
const total = Number(megabytes) * 1024 * 1024;
const written = createHash("sha256");
const block = randomBytes(CHUNK);
let sent = 0;
const source = new Readable({
  read() {
    if (sent >= total) return void this.push(null);
    const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK, total - sent)));
    chunk.writeUInt32BE(sent / CHUNK, 0); // every chunk differs, so a reordered part would show
    sent += chunk.length;
    written.update(chunk);
    this.push(chunk);
  },
});

async function peakGrowth(run: () => Promise<void>): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  await run();
  clearInterval(timer);
  return Math.max(peak, process.memoryUsage.rss()) - start;
}

// A multipart write first (11 MiB: three parts): the SDK loads code and credentials on first
// use, a one-off cost that is not the upload's.
await storage.write("conv-1/warm-up", Readable.from(Array.from({ length: 11 }, () => Buffer.alloc(1024 * 1024))));
await storage.remove("conv-1/warm-up");

let size = 0;
const writeGrowth = await peakGrowth(async () => {
  size = (await storage.write("conv-1/big", source)).size;
});
const read = createHash("sha256");
const readGrowth = await peakGrowth(async () => {
  for await (const chunk of (await storage.open("conv-1/big"))!.stream) read.update(chunk as Buffer);
});
console.log(JSON.stringify({ size, writeGrowth, readGrowth, written: written.digest("hex"), read: read.digest("hex") }));
