import { Transform } from "node:stream";
import { crc32 } from "node:zlib";

/**
 * A pass-through that computes the CRC-32 of the bytes flowing through it (zlib's, at GB/s), so
 * an upload's checksum is known once it is stored and a ZIP never has to compute it again.
 */
export function crc32Tap(): { stream: Transform; crc32: () => number } {
  let value = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      value = crc32(chunk, value);
      callback(null, chunk);
    },
  });
  return { stream, crc32: () => value };
}

/** The CRC-32 as PostgreSQL's signed integer column holds it, and back. */
export const crc32ToColumn = (crc: number) => crc | 0;
export const crc32FromColumn = (column: number | null) => (column === null ? null : column >>> 0);
