import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { env } from "@/lib/env";

/**
 * Where attachment bytes live. Keys are made by us (never from a file name), so they are safe
 * path segments. The local folder is the default; shared storage implements the same interface.
 */
export interface FileStorage {
  write(key: string, data: Readable | Uint8Array): Promise<{ size: number }>;
  read(key: string): Readable;
  remove(key: string): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

export function localFileStorage(root: string): FileStorage {
  const resolve = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes("..")) throw new Error(`Unsafe storage key: ${key}`);
    return path.join(path.resolve(root), key);
  };
  return {
    async write(key, data) {
      const file = resolve(key);
      await mkdir(path.dirname(file), { recursive: true });
      const source = data instanceof Readable ? data : Readable.from([data]);
      await pipeline(source, createWriteStream(file, { flags: "wx" }));
      return { size: (await stat(file)).size };
    },
    read(key) {
      return createReadStream(resolve(key));
    },
    async remove(key) {
      await rm(resolve(key), { force: true });
    },
  };
}

const globalForStorage = globalThis as unknown as { switchboardStorage?: FileStorage };

/** The process's storage: the folder STORAGE_DIR (default ./data/files). */
export function getFileStorage(): FileStorage {
  globalForStorage.switchboardStorage ??= localFileStorage(env.STORAGE_DIR);
  return globalForStorage.switchboardStorage;
}

/** Replaces the process's storage (tests use a temporary folder). */
export function setFileStorage(storage: FileStorage) {
  globalForStorage.switchboardStorage = storage;
}
