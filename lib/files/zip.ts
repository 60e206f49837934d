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
  (async () => {
    for await (const source of sources) {
      zip.addReadStreamLazy(nextName(source.fileName), { mtime: source.createdAt, compress: false }, (callback) =>
        callback(null, storage.read(source.storageKey)),
      );
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
