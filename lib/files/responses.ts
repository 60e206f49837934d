import { Readable } from "node:stream";
import { getFileStorage } from "@/lib/storage";
import { attachmentDisposition } from "@/lib/files/file-names";

/** Headers for every downloaded file: never rendered inline, never sniffed, never scripted. */
export const DOWNLOAD_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "no-referrer",
} as const;

/** Streams one stored file as a download. */
export function fileDownloadResponse(
  attachment: { fileName: string; contentType: string; size: number | bigint; storageKey: string },
  extraHeaders: Record<string, string> = {},
): Response {
  const stream = getFileStorage().read(attachment.storageKey);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: {
      ...DOWNLOAD_HEADERS,
      ...extraHeaders,
      "Content-Type": attachment.contentType || "application/octet-stream",
      "Content-Length": String(attachment.size),
      "Content-Disposition": attachmentDisposition(attachment.fileName),
    },
  });
}
