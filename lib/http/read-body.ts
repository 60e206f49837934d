import "server-only";
import { AppError } from "@/lib/errors";

/**
 * Reads a request body of at most `maxBytes` bytes as it arrives. A Content-Length over the limit
 * is refused before reading; a chunked body (no Content-Length) is read only up to the limit and
 * then cancelled, so no more than `maxBytes` plus one chunk is ever held. Throws
 * AppError("payload_too_large") over the limit.
 */
export async function readBodyLimited(request: Request, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new AppError("payload_too_large", `The request body must be at most ${maxBytes} bytes.`);
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, received);
}

/**
 * Reads a JSON request body of at most `maxBytes` bytes as it arrives (readBodyLimited). Throws
 * AppError("payload_too_large") over the limit and AppError("bad_request", "Body must be JSON")
 * for an empty body, bytes that are not UTF-8, or text that is not JSON.
 */
export async function readJsonBodyLimited(request: Request, maxBytes: number): Promise<unknown> {
  const notJson = () => new AppError("bad_request", "Body must be JSON");
  const bytes = await readBodyLimited(request, maxBytes);
  if (bytes.length === 0) throw notJson();
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notJson();
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw notJson();
  }
}
