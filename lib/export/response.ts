import "server-only";
import type { ExportEntry } from "@/lib/export/entries";
import { encodeEntries, FORMAT_CONTENT_TYPES, type ExportFormat } from "@/lib/export/formats";
import { attachmentDisposition } from "@/lib/files/file-names";
import { DOWNLOAD_HEADERS } from "@/lib/files/responses";

/** Entries as an async iterable of bytes, pulled only when the client takes the previous chunk. */
function pulledStream(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          // The download breaks off (its length was never promised); the cause stays in the log.
          console.error("Export failed mid-stream:", error);
          controller.error(new Error("Export failed."));
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    // Read ahead nothing: the database is read as fast as the client downloads, no faster.
    { highWaterMark: 0 },
  );
}

/** A streamed download of entries in the format, named `<baseName>.<format>` (sanitized, RFC 6266). */
export function exportResponse(format: ExportFormat, baseName: string, entries: AsyncIterable<ExportEntry>): Response {
  return new Response(pulledStream(encodeEntries(format, entries)), {
    headers: {
      ...DOWNLOAD_HEADERS,
      "Content-Type": FORMAT_CONTENT_TYPES[format],
      "Content-Disposition": attachmentDisposition(`${baseName}.${format}`),
    },
  });
}
