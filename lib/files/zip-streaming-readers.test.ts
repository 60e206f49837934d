import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { iterateAttachments } from "@/lib/conversations/queries";
import { appendMessage } from "@/lib/messages/append";
import { zipDownloadResponse, zipStream, type ZipSource } from "@/lib/files/zip";
import { getFileStorage } from "@/lib/storage";
import { systemActor } from "@/lib/auth/actor";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function* sourcesOf(sources: ZipSource[]): AsyncGenerator<ZipSource> {
  yield* sources;
}

/** The general-purpose flags of every local header, walked from the start as a streaming reader does. */
function localHeaderFlags(zip: Buffer): number[] {
  const flags: number[] = [];
  let at = 0;
  while (zip.readUInt32LE(at) === 0x04034b50) {
    const flag = zip.readUInt16LE(at + 6);
    flags.push(flag);
    if (flag & 8) break; // sizes unknown here: a streaming reader would have to guess
    const nameLength = zip.readUInt16LE(at + 26);
    const extraLength = zip.readUInt16LE(at + 28);
    let size = zip.readUInt32LE(at + 18);
    if (size === 0xffffffff) size = Number(zip.readBigUInt64LE(at + 30 + nameLength + 4));
    at += 30 + nameLength + extraLength + size;
  }
  return flags;
}

async function storedSources(files: { fileName: string; bytes: Buffer }[]): Promise<ZipSource[]> {
  const sources: ZipSource[] = [];
  for (const file of files) {
    const storageKey = `zip-test/${randomUUID()}`;
    await getFileStorage().write(storageKey, file.bytes);
    sources.push({ fileName: file.fileName, storageKey, createdAt: new Date(), crc32: crc32(file.bytes) });
  }
  return sources;
}

// Java's ZipInputStream reads an archive front to back and cannot read a stored entry whose sizes
// come after its bytes (a data descriptor); it stands for every streaming reader.
const JAVA_LISTER = `
import java.util.zip.*;
public class ListZip {
  public static void main(String[] args) throws Exception {
    ZipInputStream in = new ZipInputStream(System.in);
    ZipEntry entry;
    byte[] buffer = new byte[65536];
    while ((entry = in.getNextEntry()) != null) {
      long total = 0; int read;
      CRC32 crc = new CRC32();
      while ((read = in.read(buffer)) > 0) { total += read; crc.update(buffer, 0, read); }
      System.out.println(entry.getName() + "\\t" + total + "\\t" + Long.toHexString(crc.getValue()));
    }
  }
}`;

function javaLister(): string | null {
  const check = spawnSync("javac", ["-version"]);
  if (check.error || check.status !== 0) return null;
  const folder = mkdtempSync(path.join(tmpdir(), "zip-java-"));
  writeFileSync(path.join(folder, "ListZip.java"), JAVA_LISTER);
  const compiled = spawnSync("javac", ["ListZip.java"], { cwd: folder });
  return compiled.status === 0 ? folder : null;
}

describe("ZIP for streaming readers", () => {
  it("puts the CRC and sizes in every local header when the CRCs were stored at upload: no data descriptors", async () => {
    const sources = await storedSources([
      { fileName: "a.txt", bytes: Buffer.from("alpha") },
      { fileName: "b.bin", bytes: randomBytes(200_000) },
      { fileName: "empty.txt", bytes: Buffer.alloc(0) },
    ]);
    const zip = await readAll(zipStream(sourcesOf(sources)));
    const flags = localHeaderFlags(zip);
    expect(flags).toHaveLength(3);
    expect(flags.every((flag) => (flag & 8) === 0)).toBe(true);
  });

  it("sends an exact Content-Length, also with a missing file listed in MISSING FILES.txt", async () => {
    const sources = await storedSources([{ fileName: "a.txt", bytes: randomBytes(10_000) }]);
    sources.push({ fileName: "gone.pdf", storageKey: `zip-test/${randomUUID()}`, createdAt: new Date(), crc32: 1 });
    const response = await zipDownloadResponse("all.zip", sourcesOf(sources));
    const body = Buffer.from(await response.arrayBuffer());
    expect(Number(response.headers.get("Content-Length"))).toBe(body.length);
  });

  it("stores each uploaded file's CRC with its message, and the conversation's ZIP carries it up front", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, [{}]);
    const bytes = randomBytes(5_000);
    const storageKey = `${conversation.id}/${randomUUID()}`;
    await getFileStorage().write(storageKey, bytes);
    await prisma.$transaction((tx) =>
      appendMessage(tx, {
        conversationId: conversation.id,
        role: "CONTACT",
        text: "a file",
        files: [{ fileName: "photo.jpg", contentType: "image/jpeg", size: bytes.length, storageKey, crc32: crc32(bytes) }],
      }),
    );
    const zip = await readAll(zipStream(iterateAttachments(systemActor("test"), conversation.id)));
    expect(localHeaderFlags(zip)).toEqual([0x800]);
  });

  it("is read front to back by Java's ZipInputStream", async (context) => {
    const folder = javaLister();
    if (!folder) {
      console.warn("javac is not installed: skipping the Java ZipInputStream check.");
      return context.skip();
    }
    const files = [
      { fileName: "résumé.txt", bytes: Buffer.from("hello") },
      { fileName: "big.bin", bytes: randomBytes(1 << 20) },
    ];
    const zip = await readAll(zipStream(sourcesOf(await storedSources(files))));
    const listed = spawnSync("java", ["-cp", folder, "ListZip"], { input: zip, encoding: "utf8" });
    expect(listed.stderr).toBe("");
    expect(listed.stdout.trim().split("\n")).toEqual(
      files.map((file) => `${file.fileName}\t${file.bytes.length}\t${crc32(file.bytes).toString(16)}`),
    );
  }, 60_000);
});
