import type { Readable } from "node:stream";

/** Bytes `start` through `end` of an object, both included (as in an HTTP Range header). */
export type ByteRange = { start: number; end: number };

/** An object opened for reading: it exists, and `stream` yields its bytes (or the range asked for). */
export type OpenedObject = { size: number; stream: Readable };

/**
 * Where attachment bytes live. Keys are made by us (never from a file name), so they are safe
 * path segments. The local folder is the default; S3-compatible storage implements the same
 * interface (lib/storage/s3.ts).
 */
export interface FileStorage {
  /** Stores the bytes under a new key; the stream is read with backpressure, never buffered whole. */
  write(key: string, data: Readable | Uint8Array): Promise<{ size: number }>;
  /**
   * Opens the object, or answers null when it does not exist. It is looked up before anything is
   * returned, so a caller can still answer 404 instead of failing halfway through a response.
   * `size` is the whole object's; with a range, `stream` yields only those bytes.
   */
  open(key: string, range?: ByteRange): Promise<OpenedObject | null>;
  /** The object's size, or null when it does not exist. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Deletes the object; deleting one that does not exist is not an error. */
  remove(key: string): Promise<void>;
  /** Resolves when the storage is reachable and usable (readiness checks); cheap, changes nothing stored. */
  ping(): Promise<void>;
}

const SAFE_KEY = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_.-]+)*$/;

/** Returns the key when it is one we could have made; throws otherwise (no "..", no absolute paths). */
export function assertSafeKey(key: string): string {
  if (!SAFE_KEY.test(key) || key.includes("..")) {
    throw new Error(`Unsafe storage key: ${key}`);
  }
  return key;
}
