import { randomBytes, randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import yauzl from "yauzl";
import { iterateAttachments } from "@/lib/conversations/queries";
import { fileDownloadResponse, parseRangeHeader } from "@/lib/files/responses";
import { MISSING_FILES_ENTRY, zipDownloadResponse, zipStream, type ZipSource } from "@/lib/files/zip";
import { getFileStorage, setFileStorage, type FileStorage } from "@/lib/storage";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { systemActor } from "@/lib/auth/actor";

const READER = systemActor("test reader");

type ZipEntry = { name: string; bytes: Buffer; modified: Date };

/** Parses a whole ZIP with yauzl, which also rejects absolute and ".." entry names. */
async function readZip(buffer: Buffer): Promise<ZipEntry[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(buffer, { lazyEntries: true, strictFileNames: true }, (error, file) =>
      error ? reject(error) : resolve(file!),
    ),
  );
  const entries: ZipEntry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", resolve);
    zip.on("entry", (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream!.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream!.on("error", reject);
        stream!.on("end", () => {
          entries.push({ name: entry.fileName, bytes: Buffer.concat(chunks), modified: entry.getLastModDate() });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* sourcesOf(sources: ZipSource[]): AsyncGenerator<ZipSource> {
  yield* sources;
}

type StoredFile = ZipSource & { bytes: Buffer };

async function storeFiles(files: { fileName: string; bytes: Buffer }[], createdAt = new Date()): Promise<StoredFile[]> {
  const storage = getFileStorage();
  const stored: StoredFile[] = [];
  for (const file of files) {
    const storageKey = `zip-test/${randomUUID()}`;
    await storage.write(storageKey, file.bytes);
    stored.push({ ...file, storageKey, createdAt });
  }
  return stored;
}

/** Wraps the storage to see how many read streams are open at once and how many were opened. */
function countStorageReads() {
  const base = getFileStorage();
  const counts = { opened: 0, open: 0, maxOpen: 0 };
  const counting: FileStorage = {
    ...base,
    async open(key, range) {
      const opened = await base.open(key, range);
      if (!opened) return null;
      const stream = opened.stream;
      counts.opened++;
      counts.open++;
      counts.maxOpen = Math.max(counts.maxOpen, counts.open);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        counts.open--;
      };
      stream.once("end", finish);
      stream.once("close", finish);
      return opened;
    },
  };
  setFileStorage(counting);
  return { counts, restore: () => setFileStorage(base) };
}

const originalStorage = getFileStorage();
afterEach(() => setFileStorage(originalStorage));

describe("zipStream", () => {
  it("archives every file with sanitized, unique entry names and the exact bytes", async () => {
    const createdAt = new Date("2024-05-06T07:08:09.000Z");
    const files = await storeFiles(
      [
        { fileName: "résumé final (v2).pdf", bytes: randomBytes(10_000) },
        { fileName: "résumé final (v2).pdf", bytes: randomBytes(3_000) },
        { fileName: "../../etc/passwd", bytes: Buffer.from("root:x:0:0") },
        { fileName: "/absolute/path.txt", bytes: Buffer.from("absolute") },
        { fileName: "C:\\evil\\run.bat", bytes: Buffer.from("@echo off") },
        { fileName: "photo\u202Egpj.exe", bytes: Buffer.from("MZ") },
        { fileName: "REPORT.txt", bytes: Buffer.from("upper") },
        { fileName: "report.txt", bytes: Buffer.from("lower") },
        { fileName: "..", bytes: Buffer.alloc(0) },
      ],
      createdAt,
    );

    const entries = await readZip(await readAll(zipStream(sourcesOf(files))));

    expect(entries.map((entry) => entry.name)).toEqual([
      "résumé final (v2).pdf",
      "résumé final (v2) (1).pdf",
      "_.._etc_passwd",
      "_absolute_path.txt",
      "C__evil_run.bat",
      "photogpj.exe",
      "REPORT.txt",
      "report (1).txt",
      "file",
    ]);
    entries.forEach((entry, index) => {
      expect(entry.bytes.equals(files[index].bytes), `bytes of ${entry.name}`).toBe(true);
      expect(entry.modified.getTime()).toBe(createdAt.getTime());
    });
  });

  it("produces a valid empty archive when there are no files", async () => {
    const entries = await readZip(await readAll(zipStream(sourcesOf([]))));
    expect(entries).toEqual([]);
  });

  it("opens one stored file at a time and only as fast as the client reads", async () => {
    const fileCount = 8;
    const files = await storeFiles(
      Array.from({ length: fileCount }, (_, index) => ({ fileName: `part ${index}.bin`, bytes: randomBytes(1 << 20) })),
    );
    const { counts } = countStorageReads();

    const output = zipStream(sourcesOf(files));
    // Nobody reads yet: an eager archiver would open (or buffer) every file now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counts.opened).toBeGreaterThanOrEqual(1);
    expect(counts.opened).toBeLessThanOrEqual(2);

    // A slow client: yields to the event loop between chunks.
    const chunks: Buffer[] = [];
    for await (const chunk of output) {
      chunks.push(chunk as Buffer);
      await new Promise((resolve) => setImmediate(resolve));
    }

    expect(counts.opened).toBe(fileCount);
    expect(counts.maxOpen).toBe(1);
    expect(counts.open).toBe(0);
    const entries = await readZip(Buffer.concat(chunks));
    expect(entries.map((entry) => entry.name)).toEqual(files.map((file) => file.fileName));
    entries.forEach((entry, index) => expect(entry.bytes.equals(files[index].bytes)).toBe(true));
  });

  it("leaves a file missing from storage out and names it in MISSING FILES.txt, keeping the archive whole", async () => {
    const [first, last] = await storeFiles([
      { fileName: "present.txt", bytes: Buffer.from("here") },
      { fileName: "after.txt", bytes: Buffer.from("after") },
    ]);
    const missing: ZipSource = { fileName: "lost report.pdf", storageKey: `zip-test/${randomUUID()}`, createdAt: new Date() };

    const entries = await readZip(await readAll(zipStream(sourcesOf([first, missing, last]))));

    expect(entries.map((entry) => entry.name)).toEqual(["present.txt", "after.txt", MISSING_FILES_ENTRY]);
    expect(entries[1].bytes.toString()).toBe("after");
    expect(entries[2].bytes.toString()).toContain("- lost report.pdf");
  });

  it("fails the download when listing the files fails", async () => {
    async function* failing(): AsyncGenerator<ZipSource> {
      yield* await storeFiles([{ fileName: "first.txt", bytes: Buffer.from("1") }]);
      throw new Error("database went away");
    }
    await expect(readAll(zipStream(failing()))).rejects.toThrow("database went away");
  });

  // A client that goes away mid-download (Readable.toWeb destroys the stream) must not leave the
  // storage stream yazl is reading open: that would leak one file handle per cancelled ZIP.
  it("closes the open storage stream when the client cancels the download", async () => {
    const files = await storeFiles(
      Array.from({ length: 2 }, (_, index) => ({ fileName: `big ${index}.bin`, bytes: randomBytes(1 << 20) })),
    );
    const { counts } = countStorageReads();
    const output = zipStream(sourcesOf(files));
    for await (const chunk of output) {
      expect((chunk as Buffer).length).toBeGreaterThan(0);
      break; // leaving the loop destroys the stream, like a cancelled response
    }
    expect(output.destroyed).toBe(true);
    for (let attempt = 0; attempt < 20 && counts.open > 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(counts.open).toBe(0);
  });
});

describe("ZIP of a conversation's attachments", () => {
  it("archives the files of the conversation, in the order they were sent", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, [
      { files: [{ fileName: "invoice.pdf", bytes: "invoice bytes" }] },
      { files: [{ fileName: "invoice.pdf", bytes: "second invoice" }, { fileName: "notes/today.txt", bytes: "notes" }] },
      { text: "no files here" },
    ]);
    const { conversation: other } = await createConversation(bot.id, [
      { files: [{ fileName: "other.txt", bytes: "not in this conversation" }] },
    ]);
    expect(other.id).not.toBe(conversation.id);

    const entries = await readZip(await readAll(zipStream(iterateAttachments(READER, conversation.id))));

    expect(entries.map((entry) => [entry.name, entry.bytes.toString()])).toEqual([
      ["invoice.pdf", "invoice bytes"],
      ["invoice (1).pdf", "second invoice"],
      ["notes_today.txt", "notes"],
    ]);
  });

  it("reads attachments in batches without skipping or repeating any", async () => {
    const { bot } = await createOrganization();
    const { conversation, attachmentIds } = await createConversation(bot.id, [
      { files: Array.from({ length: 7 }, (_, index) => ({ fileName: `f${index}.txt`, bytes: `file ${index}` })) },
    ]);
    const seen: string[] = [];
    for await (const attachment of iterateAttachments(READER, conversation.id, 3)) seen.push(attachment.id);
    expect([...seen].sort()).toEqual([...attachmentIds].sort());
    expect(new Set(seen).size).toBe(7);
  });
});

describe("download responses", () => {
  it("serves one file as a sandboxed, uncached attachment with its exact bytes", async () => {
    const bytes = randomBytes(2048);
    const [file] = await storeFiles([{ fileName: "résumé final (v2).pdf", bytes }]);

    const response = (await fileDownloadResponse({ ...file, contentType: "application/pdf", size: bytes.length }))!;

    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Length")).toBe("2048");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("Content-Disposition")).toContain(
      "filename*=UTF-8''r%C3%A9sum%C3%A9%20final%20%28v2%29.pdf",
    );
    expect(response.headers.get("Content-Disposition")!.startsWith("attachment")).toBe(true);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("never serves an HTML upload as something a browser would render", async () => {
    const [file] = await storeFiles([{ fileName: "page.html", bytes: Buffer.from("<script>alert(1)</script>") }]);
    const response = (await fileDownloadResponse({ ...file, contentType: "text/html", size: 25 }))!;
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="page.html"');
    expect(response.headers.get("Content-Security-Policy")).toMatch(/default-src 'none'/);
    await response.arrayBuffer();
  });

  it("answers null, before any response exists, when the file's bytes are missing from storage", async () => {
    const missing = { fileName: "gone.txt", contentType: "text/plain", size: 4, storageKey: `zip-test/${randomUUID()}` };
    expect(await fileDownloadResponse(missing)).toBeNull();
    expect(await fileDownloadResponse(missing, { rangeHeader: "bytes=0-1" })).toBeNull();
    expect(await fileDownloadResponse(missing, { rangeHeader: "bytes=10-" })).toBeNull();
  });

  it("serves a byte range with 206, and 416 for a range past the end", async () => {
    const bytes = randomBytes(1000);
    const [file] = await storeFiles([{ fileName: "big.bin", bytes }]);
    const attachment = { ...file, contentType: "application/octet-stream", size: bytes.length };

    const partial = (await fileDownloadResponse(attachment, { rangeHeader: "bytes=100-199" }))!;
    expect(partial.status).toBe(206);
    expect(partial.headers.get("Content-Range")).toBe("bytes 100-199/1000");
    expect(partial.headers.get("Content-Length")).toBe("100");
    expect(Buffer.from(await partial.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);

    const tail = (await fileDownloadResponse(attachment, { rangeHeader: "bytes=-10" }))!;
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(990))).toBe(true);

    const past = (await fileDownloadResponse(attachment, { rangeHeader: "bytes=1000-" }))!;
    expect(past.status).toBe(416);
    expect(past.headers.get("Content-Range")).toBe("bytes */1000");

    const whole = (await fileDownloadResponse(attachment, { rangeHeader: "bytes=0-1,5-6" }))!;
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Accept-Ranges")).toBe("bytes");
    expect(Buffer.from(await whole.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("parses the Range forms a client sends", () => {
    expect(parseRangeHeader(null, 10)).toBeNull();
    expect(parseRangeHeader("bytes=2-4", 10)).toEqual({ start: 2, end: 4 });
    expect(parseRangeHeader("bytes=2-", 10)).toEqual({ start: 2, end: 9 });
    expect(parseRangeHeader("bytes=5-100", 10)).toEqual({ start: 5, end: 9 });
    expect(parseRangeHeader("bytes=-3", 10)).toEqual({ start: 7, end: 9 });
    expect(parseRangeHeader("bytes=-30", 10)).toEqual({ start: 0, end: 9 });
    expect(parseRangeHeader("bytes=10-", 10)).toBe("unsatisfiable");
    expect(parseRangeHeader("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseRangeHeader("bytes=4-2", 10)).toBeNull();
    expect(parseRangeHeader("items=0-1", 10)).toBeNull();
    expect(parseRangeHeader("bytes=-", 10)).toBeNull();
  });

  it("streams a ZIP response with download headers", async () => {
    const files = await storeFiles([{ fileName: "a.txt", bytes: Buffer.from("a") }]);
    const response = await zipDownloadResponse("Chat with Ana.zip", sourcesOf(files));
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="Chat with Ana.zip"');
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const entries = await readZip(Buffer.from(await response.arrayBuffer()));
    expect(entries.map((entry) => entry.name)).toEqual(["a.txt"]);
  });
});
