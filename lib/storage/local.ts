import { createWriteStream } from "node:fs";
import { access, constants, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { assertSafeKey, type FileStorage } from "@/lib/storage/types";

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === "ENOENT";

/** Attachments as files in a folder, one file per key (the key's segments are subfolders). */
export function localFileStorage(root: string): FileStorage & { keys(): AsyncIterable<string> } {
  const base = path.resolve(root);
  const resolve = (key: string) => path.join(base, assertSafeKey(key));
  return {
    async write(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const source = data instanceof Readable ? data : Readable.from([data]);
      try {
        await pipeline(source, createWriteStream(file, { flags: "wx" }));
      } catch (error) {
        // A source that failed part-way must not leave half a file under the key; a key that
        // already existed ("wx" refused it) is someone else's file and stays.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") await rm(file, { force: true });
        throw error;
      }
      return { size: (await stat(file)).size };
    },
    async open(key, range) {
      // Opening the file descriptor first is what makes a missing file an answer (null) rather
      // than a stream that fails after the response has started.
      const handle = await open(resolve(key), "r").catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      if (!handle) return null;
      try {
        const { size } = await handle.stat();
        return { size, stream: handle.createReadStream(range ? { start: range.start, end: range.end } : {}) };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },
    async stat(key) {
      const stats = await stat(resolve(key)).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      return stats?.isFile() ? { size: stats.size } : null;
    },
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
    async ping() {
      // The folder may not exist before the first upload (write creates it): it must be creatable and writable.
      await mkdir(base, { recursive: true });
      await access(base, constants.R_OK | constants.W_OK);
    },
    /** Every stored key, for `sb storage migrate`; files whose names are not keys are skipped. */
    async *keys() {
      const entries = await readdir(base, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
        if (isMissing(error)) return [];
        throw error;
      });
      for (const entry of entries) {
        if (!entry.isFile()) continue;
        const key = path.relative(base, path.join(entry.parentPath, entry.name)).split(path.sep).join("/");
        try {
          yield assertSafeKey(key);
        } catch {
          continue;
        }
      }
    },
  };
}
