/**
 * The records of a ZIP archive whose entries are stored uncompressed (APPNOTE 6.3.10). Every
 * size is known before the archive starts, so the archive's length is too. An entry whose CRC-32
 * is known up front carries it and its sizes in its local header, with no data descriptor, which
 * streaming readers (Java's ZipInputStream, bsdtar reading a pipe) need; an entry whose CRC is
 * computed while it streams is followed by a data descriptor.
 */

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const END = 0x06054b50;
const UTF8_NAMES = 1 << 11;
const HAS_DATA_DESCRIPTOR = 1 << 3;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
const EXTENDED_TIMESTAMP_LENGTH = 9;

/** One entry's place in the archive; `offset` is where its local header starts. */
export type ZipEntryLayout = {
  name: Buffer;
  size: number;
  mtime: Date;
  /** Known before the bytes are sent (stored at upload); null: computed while streaming. */
  crc32: number | null;
  offset: number;
};

const needsZip64 = (size: number) => size >= MAX32;

/** The local header's length, which depends only on the name and size. */
export function localHeaderLength(name: Buffer, size: number): number {
  return 30 + name.length + EXTENDED_TIMESTAMP_LENGTH + (needsZip64(size) ? 20 : 0);
}

export function dataDescriptorLength(entry: { size: number; crc32: number | null }): number {
  if (entry.crc32 !== null) return 0;
  return needsZip64(entry.size) ? 24 : 16;
}

function centralHeaderLength(entry: ZipEntryLayout): number {
  const zip64Fields = (needsZip64(entry.size) ? 2 : 0) + (entry.offset >= MAX32 ? 1 : 0);
  return 46 + entry.name.length + EXTENDED_TIMESTAMP_LENGTH + (zip64Fields > 0 ? 4 + 8 * zip64Fields : 0);
}

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, Math.min(2107, date.getFullYear()));
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((year - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/** The "UT" extra field: the exact modification time, which DOS time rounds to two seconds. */
function extendedTimestamp(mtime: Date): Buffer {
  const field = Buffer.alloc(EXTENDED_TIMESTAMP_LENGTH);
  field.writeUInt16LE(0x5455, 0);
  field.writeUInt16LE(5, 2);
  field.writeUInt8(1, 4);
  field.writeInt32LE(Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(mtime.getTime() / 1000))), 5);
  return field;
}

function flagsOf(entry: ZipEntryLayout): number {
  return UTF8_NAMES | (entry.crc32 === null ? HAS_DATA_DESCRIPTOR : 0);
}

export function localHeader(entry: ZipEntryLayout): Buffer {
  const zip64 = needsZip64(entry.size);
  const known = entry.crc32 !== null;
  const header = Buffer.alloc(localHeaderLength(entry.name, entry.size));
  const { time, date } = dosDateTime(entry.mtime);
  header.writeUInt32LE(LOCAL_HEADER, 0);
  header.writeUInt16LE(zip64 ? 45 : 20, 4);
  header.writeUInt16LE(flagsOf(entry), 6);
  header.writeUInt16LE(0, 8);
  header.writeUInt16LE(time, 10);
  header.writeUInt16LE(date, 12);
  header.writeUInt32LE(known ? entry.crc32! : 0, 14);
  const size32 = zip64 ? MAX32 : known ? entry.size : 0;
  header.writeUInt32LE(size32, 18);
  header.writeUInt32LE(size32, 22);
  header.writeUInt16LE(entry.name.length, 26);
  header.writeUInt16LE(EXTENDED_TIMESTAMP_LENGTH + (zip64 ? 20 : 0), 28);
  let at = 30 + entry.name.copy(header, 30);
  at += extendedTimestamp(entry.mtime).copy(header, at);
  if (zip64) {
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(16, at + 2);
    header.writeBigUInt64LE(BigInt(known ? entry.size : 0), at + 4);
    header.writeBigUInt64LE(BigInt(known ? entry.size : 0), at + 12);
  }
  return header;
}

export function dataDescriptor(entry: { size: number }, crc32: number): Buffer {
  if (needsZip64(entry.size)) {
    const descriptor = Buffer.alloc(24);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(crc32, 4);
    descriptor.writeBigUInt64LE(BigInt(entry.size), 8);
    descriptor.writeBigUInt64LE(BigInt(entry.size), 16);
    return descriptor;
  }
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
  descriptor.writeUInt32LE(crc32, 4);
  descriptor.writeUInt32LE(entry.size, 8);
  descriptor.writeUInt32LE(entry.size, 12);
  return descriptor;
}

function centralHeader(entry: ZipEntryLayout, crc32: number): Buffer {
  const zip64Size = needsZip64(entry.size);
  const zip64Offset = entry.offset >= MAX32;
  const header = Buffer.alloc(centralHeaderLength(entry));
  const { time, date } = dosDateTime(entry.mtime);
  const zip64Values = [...(zip64Size ? [entry.size, entry.size] : []), ...(zip64Offset ? [entry.offset] : [])];
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE((3 << 8) | 45, 4); // made by Unix, spec 4.5
  header.writeUInt16LE(zip64Values.length > 0 ? 45 : 20, 6);
  header.writeUInt16LE(flagsOf(entry), 8);
  header.writeUInt16LE(0, 10);
  header.writeUInt16LE(time, 12);
  header.writeUInt16LE(date, 14);
  header.writeUInt32LE(crc32, 16);
  header.writeUInt32LE(zip64Size ? MAX32 : entry.size, 20);
  header.writeUInt32LE(zip64Size ? MAX32 : entry.size, 24);
  header.writeUInt16LE(entry.name.length, 28);
  header.writeUInt16LE(EXTENDED_TIMESTAMP_LENGTH + (zip64Values.length > 0 ? 4 + 8 * zip64Values.length : 0), 30);
  header.writeUInt16LE(0, 32); // comment
  header.writeUInt16LE(0, 34); // disk
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE((0o100644 << 16) >>> 0, 38);
  header.writeUInt32LE(zip64Offset ? MAX32 : entry.offset, 42);
  let at = 46 + entry.name.copy(header, 46);
  at += extendedTimestamp(entry.mtime).copy(header, at);
  if (zip64Values.length > 0) {
    header.writeUInt16LE(0x0001, at);
    header.writeUInt16LE(8 * zip64Values.length, at + 2);
    zip64Values.forEach((value, index) => header.writeBigUInt64LE(BigInt(value), at + 4 + 8 * index));
  }
  return header;
}

/** The central directory and end records, given every entry and its CRC-32. */
export function centralDirectory(entries: ZipEntryLayout[], crcs: number[], start: number): Buffer {
  const headers = entries.map((entry, index) => centralHeader(entry, crcs[index]));
  const size = headers.reduce((total, header) => total + header.length, 0);
  const zip64 = entries.length >= MAX16 || start >= MAX32 || size >= MAX32;
  const records: Buffer[] = [...headers];
  if (zip64) {
    const end64 = Buffer.alloc(56);
    end64.writeUInt32LE(ZIP64_END, 0);
    end64.writeBigUInt64LE(44n, 4);
    end64.writeUInt16LE((3 << 8) | 45, 12);
    end64.writeUInt16LE(45, 14);
    end64.writeBigUInt64LE(BigInt(entries.length), 24);
    end64.writeBigUInt64LE(BigInt(entries.length), 32);
    end64.writeBigUInt64LE(BigInt(size), 40);
    end64.writeBigUInt64LE(BigInt(start), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(ZIP64_LOCATOR, 0);
    locator.writeBigUInt64LE(BigInt(start + size), 8);
    locator.writeUInt32LE(1, 16);
    records.push(end64, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(zip64 ? MAX16 : entries.length, 8);
  end.writeUInt16LE(zip64 ? MAX16 : entries.length, 10);
  end.writeUInt32LE(zip64 ? MAX32 : size, 12);
  end.writeUInt32LE(zip64 ? MAX32 : start, 16);
  records.push(end);
  return Buffer.concat(records);
}

/** The archive's exact length in bytes, before any of it is written. */
export function archiveLength(entries: ZipEntryLayout[], start: number): number {
  const central = entries.reduce((total, entry) => total + centralHeaderLength(entry), 0);
  const zip64 = entries.length >= MAX16 || start >= MAX32 || central >= MAX32;
  return start + central + (zip64 ? 56 + 20 : 0) + 22;
}
