import { createHash } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import type { FileStorage } from "@/lib/storage/types";

export type CopyOutcome = "copied" | "already there" | "failed";

export type CopyReport = {
  copied: number;
  alreadyThere: number;
  failed: { key: string; reason: string }[];
};

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function sha256At(storage: FileStorage, key: string): Promise<string | null> {
  const opened = await storage.open(key);
  return opened ? sha256Of(opened.stream) : null;
}

async function copyOne(source: FileStorage, target: FileStorage, key: string): Promise<CopyOutcome> {
  const [sourceStat, targetStat] = await Promise.all([source.stat(key), target.stat(key)]);
  if (!sourceStat) throw new Error("vanished from the source");
  if (targetStat?.size === sourceStat.size && (await sha256At(target, key)) === (await sha256At(source, key))) {
    return "already there";
  }
  // A different object under the key is an earlier copy that broke off: replace it.
  if (targetStat) await target.remove(key);
  const opened = await source.open(key);
  if (!opened) throw new Error("vanished from the source");
  const hash = createHash("sha256");
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  opened.stream.once("error", (error) => hashing.destroy(error));
  await target.write(key, opened.stream.pipe(hashing));
  // Read back what the target now holds: a server that altered the bytes (aws-chunked framing
  // stored inside the object, a truncated upload) fails here rather than on a download later.
  const expected = hash.digest("hex");
  const stored = await sha256At(target, key);
  if (stored !== expected) {
    await target.remove(key).catch(() => {});
    throw new Error(`checksum mismatch after copy (SHA-256 ${stored ?? "missing"}, expected ${expected})`);
  }
  return "copied";
}

/**
 * Copies every object of `source` to `target` and verifies each copy by SHA-256, read back from
 * the target. Idempotent: an object already in the target with the same SHA-256 is left alone, so
 * a run that broke off can simply be run again. One object at a time keeps memory flat; the
 * source is never changed.
 */
export async function copyStorage(
  source: FileStorage & { keys(): AsyncIterable<string> },
  target: FileStorage,
  onObject: (key: string, outcome: CopyOutcome, reason?: string) => void = () => {},
): Promise<CopyReport> {
  const report: CopyReport = { copied: 0, alreadyThere: 0, failed: [] };
  for await (const key of source.keys()) {
    try {
      const outcome = await copyOne(source, target, key);
      if (outcome === "copied") report.copied++;
      else report.alreadyThere++;
      onObject(key, outcome);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report.failed.push({ key, reason });
      onObject(key, "failed", reason);
    }
  }
  return report;
}
