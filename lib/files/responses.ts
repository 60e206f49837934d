import { Readable } from "node:stream";
import { attachmentDisposition } from "@/lib/files/file-names";
import { getFileStorage, type ByteRange } from "@/lib/storage";

/** Headers for every downloaded file: never rendered inline, never sniffed, never scripted. */
export const DOWNLOAD_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; sandbox",
  "Cache-Control": "private, no-store",
  "Referrer-Policy": "no-referrer",
} as const;

/**
 * The one range a `Range: bytes=…` header asks for within `size` bytes: null for no (or a
 * multi-range, or a non-bytes) header, which is answered with the whole file as RFC 9110 allows;
 * "unsatisfiable" when it starts past the end.
 */
export function parseRangeHeader(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    // A suffix: the last N bytes.
    const length = Number(match[2]);
    if (length === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return "unsatisfiable";
  if (end < start) return null;
  return { start, end };
}

/**
 * Streams one stored file as a download, or answers null when its bytes are missing from storage,
 * so the route can answer 404 the way it answers for an unknown file. The object is opened before
 * the response exists: a missing file never becomes a 200 that breaks off. Honours a single
 * byte range (resuming a large download) with 206.
 */
export async function fileDownloadResponse(
  attachment: { fileName: string; contentType: string; size: number | bigint; storageKey: string },
  { rangeHeader = null, extraHeaders = {} }: { rangeHeader?: string | null; extraHeaders?: Record<string, string> } = {},
): Promise<Response | null> {
  const size = Number(attachment.size);
  const headers: Record<string, string> = {
    ...DOWNLOAD_HEADERS,
    ...extraHeaders,
    "Accept-Ranges": "bytes",
    "Content-Type": attachment.contentType || "application/octet-stream",
    "Content-Disposition": attachmentDisposition(attachment.fileName),
  };
  const range = parseRangeHeader(rangeHeader, size);
  if (range === "unsatisfiable") {
    if (!(await getFileStorage().stat(attachment.storageKey))) return null;
    return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${size}` } });
  }
  const opened = await getFileStorage().open(attachment.storageKey, range ?? undefined);
  if (!opened) {
    console.error(`Attachment ${attachment.storageKey} is missing from storage.`);
    return null;
  }
  const body = Readable.toWeb(opened.stream) as ReadableStream;
  if (!range) return new Response(body, { headers: { ...headers, "Content-Length": String(opened.size) } });
  return new Response(body, {
    status: 206,
    headers: { ...headers, "Content-Length": String(range.end - range.start + 1), "Content-Range": `bytes ${range.start}-${range.end}/${size}` },
  });
}
