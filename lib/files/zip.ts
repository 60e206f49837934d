import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { getFileStorage } from "@/lib/storage";
import { attachmentDisposition, createUniqueFileNamer } from "@/lib/files/file-names";
import { DOWNLOAD_HEADERS } from "@/lib/files/responses";

export type ZipSource = { fileName: string; storageKey: string; createdAt: Date };

/**
 * Streams a ZIP of files as they are read from storage. yazl opens one file at a time
 * (addReadStreamLazy), writes ZIP64 records when sizes need them, and only reads on as fast as the
 * client takes bytes, so memory stays flat however large the archive. Entry names are
 * sanitized and made unique.
 */
export function zipStream(sources: AsyncIterable<ZipSource>): Readable {
  const zip = new ZipFile();
  const storage = getFileStorage();
  const nextName = createUniqueFileNamer();
  const output = zip.outputStream as Readable;
  // When the client goes away, close the file being read and stop listing the rest.
  let reading: Readable | null = null;
  output.once("close", () => reading?.destroy());
  (async () => {
    for await (const source of sources) {
      if (output.destroyed) return;
      zip.addReadStreamLazy(nextName(source.fileName), { mtime: source.createdAt, compress: false }, (callback) => {
        reading = storage.read(source.storageKey).on("error", (error) => output.destroy(error));
        callback(null, reading);
      });
    }
    zip.end();
  })().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

export function zipDownloadResponse(archiveName: string, sources: AsyncIterable<ZipSource>): Response {
  return new Response(Readable.toWeb(zipStream(sources)) as ReadableStream, {
    headers: {
      ...DOWNLOAD_HEADERS,
      "Content-Type": "application/zip",
      "Content-Disposition": attachmentDisposition(archiveName),
    },
  });
}
