import "server-only";
import busboy from "busboy";
import { once } from "node:events";
import type { Transform } from "node:stream";
import { AppError } from "@/lib/errors";
import { crc32Tap } from "@/lib/files/crc32-tap";
import type { StoredFile } from "@/lib/messages/append";
import { getFileStorage } from "@/lib/storage";

const MAX_FILE_NAME = 255;
const MAX_FIELD_BYTES = 64 * 1024;
const MAX_FIELDS = 20;

export type MultipartUploadLimits = {
  /** Largest single file, in bytes (MAX_UPLOAD_BYTES). */
  maxFileBytes: number;
  /** Most files in one request. */
  maxFiles: number;
  /** Largest whole body, in bytes, counted as it arrives (a chunked body has no Content-Length). */
  maxBodyBytes: number;
  /** Only file parts with this field name are stored; other file parts are read past. */
  fileField: string;
  /** A new storage key for each stored file. */
  newKey: () => string;
};

export type MultipartUpload = { fields: Record<string, string>; files: StoredFile[] };

const megabytes = (bytes: number) => Math.round(bytes / (1024 * 1024));

/**
 * Reads a multipart/form-data body as it arrives, streaming each file straight into storage, so a
 * request costs memory for the chunks in flight, never for its files. The moment a limit is
 * crossed (one file, the whole body, the number of files, a text field) it stops reading, removes
 * what it had stored and throws 413 (or 400): a chunked body without Content-Length is cut off at
 * the limit, not read to its end. On success the caller owns the stored files (and removes them
 * if it then fails).
 */
export async function receiveMultipartUpload(request: Request, limits: MultipartUploadLimits): Promise<MultipartUpload> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !request.body) {
    throw new AppError("bad_request", "Send the message as multipart/form-data.");
  }
  const tooLarge = () => new AppError("payload_too_large", "The message and its files are too large.");
  if (Number(request.headers.get("content-length") ?? 0) > limits.maxBodyBytes) throw tooLarge();

  const storage = getFileStorage();
  const fields: Record<string, string> = {};
  const stored: (StoredFile & { order: number })[] = [];
  const writes: Promise<void>[] = [];
  const openFiles = new Set<Transform>();
  const reader = request.body.getReader();
  // A failure wakes every wait through this signal and a cancelled read. (Not through a promise
  // raced against each read: every race would keep its chunk alive until the request ended.)
  const aborted = new AbortController();
  let failure: AppError | null = null;
  const fail = (error: AppError) => {
    if (failure) return;
    failure = error;
    for (const file of openFiles) file.destroy(error);
    aborted.abort(error);
    reader.cancel().catch(() => {});
  };

  const parser = busboy({
    headers: { "content-type": contentType },
    // Browsers send UTF-8 file names unencoded in filename="…".
    defParamCharset: "utf8",
    // busboy flags a file that reaches fileSize; one of exactly maxFileBytes is allowed.
    limits: { fileSize: limits.maxFileBytes + 1, files: limits.maxFiles, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
  });
  parser.on("field", (name, value, info) => {
    if (info.valueTruncated) fail(new AppError("payload_too_large", `The ${name} field is too long.`));
    else fields[name] ??= value;
  });
  parser.on("file", (name, stream, info) => {
    // Errors of a file stream (a body that breaks off) surface through its write or the parser.
    stream.on("error", () => {});
    if (failure || name !== limits.fileField) return void stream.resume();
    const fileName = info.filename ?? "";
    if (fileName.length > MAX_FILE_NAME) {
      stream.resume();
      const message = `File names must be at most ${MAX_FILE_NAME} characters.`;
      return fail(new AppError("bad_request", message, { files: [message] }));
    }
    stream.on("limit", () =>
      fail(new AppError("payload_too_large", `${fileName || "A file"} is larger than ${megabytes(limits.maxFileBytes)} MB.`)),
    );
    const storageKey = limits.newKey();
    const order = writes.length;
    // Storage reads our own pass-through, which a failure can always end: a busboy file stream
    // destroyed before storage started reading it would leave the write waiting forever.
    const checksum = crc32Tap();
    const body = stream.pipe(checksum.stream);
    body.on("error", () => {});
    openFiles.add(body);
    writes.push(
      storage.write(storageKey, body).then(
        async ({ size }) => {
          openFiles.delete(body);
          // A file input with nothing chosen still sends an empty, nameless part.
          if (fileName === "" && size === 0) return storage.remove(storageKey);
          stored.push({
            fileName: fileName || "file",
            contentType: info.mimeType || "application/octet-stream",
            size,
            storageKey,
            crc32: checksum.crc32(),
            order,
          });
        },
        (error: unknown) => {
          openFiles.delete(body);
          // Storage itself failing (not our own cut-off) is logged; the client gets a safe message.
          if (!failure) console.error(error);
          fail(new AppError("internal", "The file could not be stored."));
        },
      ),
    );
  });
  parser.on("filesLimit", () => {
    const message = `Attach at most ${limits.maxFiles} files.`;
    fail(new AppError("bad_request", message, { files: [message] }));
  });
  parser.on("fieldsLimit", () => fail(tooLarge()));
  parser.on("error", () => fail(new AppError("bad_request", "The multipart body is malformed.")));
  const parsed = once(parser, "close", { signal: aborted.signal });
  parsed.catch(() => {});

  try {
    let received = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (failure) throw failure;
      if (done) break;
      received += value.byteLength;
      if (received > limits.maxBodyBytes) fail(tooLarge());
      if (failure) throw failure;
      // Backpressure: the next chunk is read only once busboy (and so storage) took this one.
      if (!parser.write(value)) await once(parser, "drain", { signal: aborted.signal });
    }
    parser.end();
    await parsed;
    // Each write settles: it finishes, or fails because a failure destroyed its stream.
    await Promise.all(writes);
    if (failure) throw failure;
  } catch (error) {
    fail(error instanceof AppError ? error : new AppError("bad_request", "The upload broke off."));
    // Reading has stopped (the reader is cancelled): let every write settle, then remove what was stored.
    parser.destroy();
    await Promise.allSettled(writes);
    await Promise.all(stored.map((file) => storage.remove(file.storageKey).catch(() => {})));
    throw failure;
  }
  return { fields, files: stored.sort((a, b) => a.order - b.order).map(({ order: _order, ...file }) => file) };
}
