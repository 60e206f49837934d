import { PassThrough, Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { attachmentDisposition, createUniqueFileNamer } from "@/lib/files/file-names";
import { DOWNLOAD_HEADERS } from "@/lib/files/responses";
import {
  archiveLength,
  centralDirectory,
  dataDescriptor,
  dataDescriptorLength,
  localHeader,
  localHeaderLength,
  type ZipEntryLayout,
} from "@/lib/files/zip-format";
import { getFileStorage } from "@/lib/storage";

/** A file to archive; `crc32` (unsigned) is the one computed when the file was uploaded, if any. */
export type ZipSource = { fileName: string; storageKey: string; createdAt: Date; crc32?: number | null };

/**
 * An entry made for the download (a transcript). Its bytes are gathered while the archive is
 * planned, so the archive's exact length is known before the first byte: they are held in memory,
 * which suits text the size of a conversation, not files.
 */
export type GeneratedZipEntry = { fileName: string; content: AsyncIterable<Uint8Array> };

/** The entry that lists files whose bytes were missing from storage when the archive was made. */
export const MISSING_FILES_ENTRY = "MISSING FILES.txt";

/** How many storage lookups run at once while an archive is planned. */
const STAT_CONCURRENCY = 16;

type PlannedEntry = ZipEntryLayout & { storageKey: string | null; bytes: Buffer | null };

/** Every entry with its name, size and place, known before the first byte is sent. */
export type ZipPlan = { entries: PlannedEntry[]; centralDirectoryStart: number; length: number };

/**
 * Lays the archive out: looks every file up in storage (its size, and whether it exists), names
 * the entries (sanitized, unique) and places them. A file missing from storage is left out and
 * named in a last entry, MISSING FILES.txt, so the downloader gets a whole archive and knows which
 * file was at fault. Knowing every size up front gives the exact Content-Length.
 */
export async function planZip(sources: AsyncIterable<ZipSource>, generated: GeneratedZipEntry[] = []): Promise<ZipPlan> {
  const storage = getFileStorage();
  const listed: ZipSource[] = [];
  for await (const source of sources) listed.push(source);
  const sizes: (number | null)[] = new Array(listed.length);
  let next = 0;
  const lookUp = async () => {
    while (next < listed.length) {
      const index = next++;
      sizes[index] = (await storage.stat(listed[index].storageKey))?.size ?? null;
    }
  };
  await Promise.all(Array.from({ length: Math.min(STAT_CONCURRENCY, listed.length) }, lookUp));

  const nextName = createUniqueFileNamer();
  const entries: PlannedEntry[] = [];
  let offset = 0;
  const place = (entry: Omit<PlannedEntry, "offset">) => {
    entries.push({ ...entry, offset });
    offset += localHeaderLength(entry.name, entry.size) + entry.size + dataDescriptorLength(entry);
  };
  const missing: string[] = [];
  listed.forEach((source, index) => {
    const size = sizes[index];
    if (size === null) {
      console.error(`Attachment ${source.storageKey} is missing from storage; left out of the ZIP.`);
      missing.push(source.fileName);
      return;
    }
    const name = Buffer.from(nextName(source.fileName));
    place({ name, size, mtime: source.createdAt, crc32: source.crc32 ?? null, storageKey: source.storageKey, bytes: null });
  });
  for (const entry of generated) {
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry.content) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    place({ name: Buffer.from(nextName(entry.fileName)), size: bytes.length, mtime: new Date(), crc32: crc32(bytes), storageKey: null, bytes });
  }
  if (missing.length > 0) {
    const note = `These files could not be read from storage and are not in this archive:\r\n${missing.map((name) => `- ${name}\r\n`).join("")}`;
    const bytes = Buffer.from(note);
    place({ name: Buffer.from(nextName(MISSING_FILES_ENTRY)), size: bytes.length, mtime: new Date(), crc32: crc32(bytes), storageKey: null, bytes });
  }
  return { entries, centralDirectoryStart: offset, length: archiveLength(entries, offset) };
}

/**
 * Streams the planned archive, reading one file at a time from storage only as fast as the client
 * takes bytes, so memory stays flat however large the archive. Entries are stored (not deflated:
 * attachments are mostly compressed already). A file that changed size or vanished since the plan
 * ends the download with an error: the promised length could no longer be kept.
 */
export function streamZip(plan: Promise<ZipPlan> | ZipPlan): Readable {
  const storage = getFileStorage();
  const output = new PassThrough();
  // When the client goes away, close the file being read.
  let reading: Readable | null = null;
  output.once("close", () => reading?.destroy());
  const send = async (chunk: Buffer) => {
    if (output.destroyed) throw new Error("The download was cancelled.");
    if (output.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        output.off("drain", done);
        output.off("close", done);
        resolve();
      };
      output.on("drain", done);
      output.on("close", done);
    });
  };
  (async () => {
    const { entries, centralDirectoryStart } = await plan;
    const crcs: number[] = [];
    for (const entry of entries) {
      await send(localHeader(entry));
      let crc = 0;
      if (entry.bytes) {
        crc = entry.crc32 ?? crc32(entry.bytes);
        await send(entry.bytes);
      } else {
        const opened = await storage.open(entry.storageKey!);
        if (!opened) throw new Error(`Attachment ${entry.storageKey} vanished from storage while it was being archived.`);
        reading = opened.stream;
        let sent = 0;
        for await (const chunk of opened.stream as AsyncIterable<Buffer>) {
          if (entry.crc32 === null) crc = crc32(chunk, crc);
          sent += chunk.length;
          if (sent > entry.size) break;
          await send(chunk);
        }
        reading = null;
        if (sent !== entry.size) throw new Error(`Attachment ${entry.storageKey} changed size while it was being archived.`);
        if (entry.crc32 === null) await send(dataDescriptor(entry, crc));
        else crc = entry.crc32;
      }
      crcs.push(crc);
    }
    await send(centralDirectory(entries, crcs, centralDirectoryStart));
    output.end();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

/** The archive of `sources`, planned then streamed; a failure to list them fails the stream. */
export function zipStream(sources: AsyncIterable<ZipSource>, generated: GeneratedZipEntry[] = []): Readable {
  const plan = planZip(sources, generated);
  plan.catch(() => {});
  return streamZip(plan);
}

/** "Download all": the streamed ZIP with its exact length, so browsers show progress. */
export async function zipDownloadResponse(
  archiveName: string,
  sources: AsyncIterable<ZipSource>,
  generated: GeneratedZipEntry[] = [],
): Promise<Response> {
  const plan = await planZip(sources, generated);
  return new Response(Readable.toWeb(streamZip(plan)) as ReadableStream, {
    headers: {
      ...DOWNLOAD_HEADERS,
      "Content-Type": "application/zip",
      "Content-Length": String(plan.length),
      "Content-Disposition": attachmentDisposition(archiveName),
    },
  });
}
