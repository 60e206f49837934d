import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { ZipFile } from "yazl";
import { attachmentDisposition, createUniqueFileNamer } from "@/lib/files/file-names";
import { DOWNLOAD_HEADERS } from "@/lib/files/responses";
import { getFileStorage } from "@/lib/storage";

export type ZipSource = { fileName: string; storageKey: string; createdAt: Date };

/** An entry made as the archive is written (a transcript), streamed like a stored file. */
export type GeneratedZipEntry = { fileName: string; content: AsyncIterable<Uint8Array> };

/** The entry that lists files whose bytes were missing from storage when the archive was made. */
export const MISSING_FILES_ENTRY = "MISSING FILES.txt";

/**
 * Streams a ZIP of files as they are read from storage. One file is open at a time: the next is
 * opened only once yazl has read the previous one to its end, and yazl reads only as fast as the
 * client takes bytes, so memory stays flat however large the archive. yazl writes ZIP64 records
 * when sizes need them. Entry names are sanitized and made unique.
 *
 * A file missing from storage is left out and named in a last entry, MISSING FILES.txt. Checking
 * every file up front would cost a lookup per file before the first byte (and could still race
 * with a deletion); failing mid-way would leave the downloader with a broken archive and no word
 * of which file was at fault.
 */
export function zipStream(sources: AsyncIterable<ZipSource>, generated: GeneratedZipEntry[] = []): Readable {
  const zip = new ZipFile();
  const storage = getFileStorage();
  const nextName = createUniqueFileNamer();
  const output = zip.outputStream as Readable;
  // When the client goes away, close the file being read and stop listing the rest.
  let reading: Readable | null = null;
  output.once("close", () => reading?.destroy());
  (async () => {
    const missing: string[] = [];
    // Generated entries come first: they keep their names, and a file of the same name gets another.
    for (const entry of generated) {
      reading = Readable.from(entry.content, { objectMode: false });
      zip.addReadStream(reading, nextName(entry.fileName), { mtime: new Date() });
      await finished(reading);
    }
    for await (const source of sources) {
      if (output.destroyed) return;
      const opened = await storage.open(source.storageKey);
      if (!opened) {
        console.error(`Attachment ${source.storageKey} is missing from storage; left out of the ZIP.`);
        missing.push(source.fileName);
        continue;
      }
      reading = opened.stream;
      zip.addReadStream(opened.stream, nextName(source.fileName), { mtime: source.createdAt, compress: false, size: opened.size });
      // An error here (storage failing mid-file) ends the download: the archive cannot be finished.
      await finished(opened.stream);
    }
    if (output.destroyed) return;
    if (missing.length > 0) {
      const note = `These files could not be read from storage and are not in this archive:\r\n${missing.map((name) => `- ${name}\r\n`).join("")}`;
      zip.addBuffer(Buffer.from(note), nextName(MISSING_FILES_ENTRY), { mtime: new Date(), compress: false });
    }
    zip.end();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

export function zipDownloadResponse(archiveName: string, sources: AsyncIterable<ZipSource>, generated: GeneratedZipEntry[] = []): Response {
  return new Response(Readable.toWeb(zipStream(sources, generated)) as ReadableStream, {
    headers: {
      ...DOWNLOAD_HEADERS,
      "Content-Type": "application/zip",
      "Content-Disposition": attachmentDisposition(archiveName),
    },
  });
}
