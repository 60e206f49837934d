import { createCipheriv, createDecipheriv } from "node:crypto";
import { derivedKey } from "@/lib/auth/app-secret";

// Messages and live events are numbered by global sequences (one order across every
// conversation, which keeps a transferred thread in order and resume-by-id exact). Shown as they
// are, those numbers would tell any viewer how much every other organization wrote in between. So
// every number that leaves the server (a message's `seq`, a page cursor, an SSE event id) is
// sealed: one AES block over the number, with a zero half that proves it was made here. Sealing is
// deterministic, so a position names the same thing on every page; its order is hidden, so
// clients order messages by time, never by position.

const PURPOSE = "sealed-position";
const BLOCK = 16;

let cached: { secretKey: Buffer } | null = null;

function key(): Buffer {
  cached ??= { secretKey: derivedKey(PURPOSE) };
  return cached.secretKey;
}

/** An opaque, URL-safe text for a position (22 characters). */
export function sealPosition(position: bigint): string {
  const block = Buffer.alloc(BLOCK);
  block.writeBigUInt64BE(BigInt.asUintN(64, position), 0);
  const cipher = createCipheriv("aes-256-ecb", key(), null).setAutoPadding(false);
  return Buffer.concat([cipher.update(block), cipher.final()]).toString("base64url");
}

/** The position a sealed text stands for, or null when it was not made by this installation. */
export function openPosition(sealed: string): bigint | null {
  if (!/^[A-Za-z0-9_-]{22}$/.test(sealed)) return null;
  const block = Buffer.from(sealed, "base64url");
  if (block.length !== BLOCK) return null;
  const decipher = createDecipheriv("aes-256-ecb", key(), null).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(block), decipher.final()]);
  if (!plain.subarray(8).equals(Buffer.alloc(8))) return null;
  return plain.readBigUInt64BE(0);
}
