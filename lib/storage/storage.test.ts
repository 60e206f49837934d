import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localFileStorage } from "@/lib/storage/local";
import { copyStorage } from "@/lib/storage/migrate";
import { parseS3Url, s3FileStorage } from "@/lib/storage/s3";
import { startS3TestServer, type S3TestServer } from "@/lib/storage/s3-test-server";
import type { FileStorage } from "@/lib/storage/types";

const MiB = 1024 * 1024;

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

let s3: S3TestServer;
const folders: string[] = [];
const tempFolder = () => {
  const folder = mkdtempSync(path.join(tmpdir(), "switchboard-storage-"));
  folders.push(folder);
  return folder;
};

beforeAll(async () => {
  s3 = await startS3TestServer();
});

afterAll(async () => {
  await s3?.stop();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const backends: { name: string; make: () => FileStorage }[] = [
  { name: "local folder", make: () => localFileStorage(tempFolder()) },
  { name: "S3 (s3rver)", make: () => s3FileStorage(s3.client, { bucket: s3.bucket, prefix: `test/${randomUUID()}` }) },
];

describe.each(backends)("$name storage", ({ name, make }) => {
  it("stores bytes and reads them back whole, with their size", async () => {
    const storage = make();
    const bytes = randomBytes(70_000);
    expect(await storage.write("conv-1/a", bytes)).toEqual({ size: 70_000 });
    expect(await storage.stat("conv-1/a")).toEqual({ size: 70_000 });
    const opened = (await storage.open("conv-1/a"))!;
    expect(opened.size).toBe(70_000);
    expect((await readAll(opened.stream)).equals(bytes)).toBe(true);
  });

  it("reads a byte range", async () => {
    const storage = make();
    const bytes = randomBytes(10_000);
    await storage.write("conv-1/ranged", Readable.from([bytes.subarray(0, 4000), bytes.subarray(4000)]));
    const opened = (await storage.open("conv-1/ranged", { start: 1234, end: 5677 }))!;
    expect(opened.size).toBe(10_000);
    expect((await readAll(opened.stream)).equals(bytes.subarray(1234, 5678))).toBe(true);
  });

  it("answers null for a missing object, before any stream exists, and deletes idempotently", async () => {
    const storage = make();
    expect(await storage.open("conv-1/never-written")).toBeNull();
    expect(await storage.open("conv-1/never-written", { start: 0, end: 1 })).toBeNull();
    expect(await storage.stat("conv-1/never-written")).toBeNull();
    await storage.write("conv-1/doomed", Buffer.from("bye"));
    await storage.remove("conv-1/doomed");
    await storage.remove("conv-1/doomed");
    expect(await storage.open("conv-1/doomed")).toBeNull();
  });

  it("refuses keys that could escape the storage", async () => {
    const storage = make();
    for (const key of ["../etc/passwd", "/abs", "a/../b", "a//b", ""]) {
      await expect(storage.write(key, Buffer.from("x"))).rejects.toThrow(/Unsafe storage key/);
      await expect(storage.open(key)).rejects.toThrow(/Unsafe storage key/);
    }
  });

  it("fails the write, leaving nothing under the key, when the source fails part-way", async () => {
    const storage = make();
    const failing = new Readable({
      read() {
        this.push(randomBytes(64 * 1024));
        setTimeout(() => this.destroy(new Error("client went away")), 5);
      },
    });
    await expect(storage.write("conv-1/broken", failing)).rejects.toThrow();
    expect(await storage.stat("conv-1/broken")).toBeNull();
  });

  it("streams a 200 MB file in and out with bounded memory and the same SHA-256", { timeout: 120_000 }, async () => {
    // In a fresh process: this one's RSS also moves with whatever vitest and earlier tests left.
    // S3 uploads hold ~55 MiB however large the file (measured the same at 100 and 300 MB: parts
    // in flight, the part being filled, chunks not yet collected); a buffered file would be 200.
    const args = name === "local folder" ? ["local", tempFolder()] : ["s3", s3.endpoint, s3.bucket, `big/${randomUUID()}`];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "lib/storage/stream-memory-child.ts", "200", ...args]);
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
      child.stderr.pipe(process.stderr);
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(`exited with ${code}: ${stdout}`))));
    });
    const result = JSON.parse(output) as { size: number; writeGrowth: number; readGrowth: number; written: string; read: string };
    console.log(`${name}, 200 MB: write RSS +${(result.writeGrowth / MiB).toFixed(1)} MiB, read RSS +${(result.readGrowth / MiB).toFixed(1)} MiB`);
    expect(result.size).toBe(200 * MiB);
    expect(result.read).toBe(result.written);
    expect(result.writeGrowth).toBeLessThan(96 * MiB);
    expect(result.readGrowth).toBeLessThan(96 * MiB);
  });
});

describe("parseS3Url", () => {
  it("splits bucket and prefix", () => {
    expect(parseS3Url("s3://attachments")).toEqual({ bucket: "attachments", prefix: "" });
    expect(parseS3Url("s3://attachments/switchboard/prod/")).toEqual({ bucket: "attachments", prefix: "switchboard/prod" });
    expect(() => parseS3Url("https://attachments")).toThrow(/s3:\/\/bucket/);
  });
});

describe("copyStorage (sb storage migrate)", () => {
  it("copies every local file to S3, verifies each by SHA-256, and re-running copies nothing again", async () => {
    const folder = tempFolder();
    const local = localFileStorage(folder);
    const files = { "conv-1/a": randomBytes(1000), "conv-1/b": randomBytes(9 * MiB), "conv-2/c": Buffer.alloc(0) };
    for (const [key, bytes] of Object.entries(files)) await local.write(key, bytes);
    // Not a key we make: never copied.
    await writeFile(path.join(folder, "conv-1", "notes with spaces.txt"), "stray");
    const target = s3FileStorage(s3.client, { bucket: s3.bucket, prefix: `migrate/${randomUUID()}` });
    // An earlier run that broke off left a truncated copy behind.
    await target.write("conv-1/b", files["conv-1/b"].subarray(0, 1000));

    const first = await copyStorage(local, target);
    expect(first).toEqual({ copied: 3, alreadyThere: 0, failed: [] });
    for (const [key, bytes] of Object.entries(files)) {
      expect((await readAll((await target.open(key))!.stream)).equals(bytes), key).toBe(true);
    }

    const again = await copyStorage(local, target);
    expect(again).toEqual({ copied: 0, alreadyThere: 3, failed: [] });
    expect((await readAll((await local.open("conv-1/a"))!.stream)).equals(files["conv-1/a"])).toBe(true);
  });

  it("reports a copy whose bytes do not match and leaves no bad object behind", async () => {
    const local = localFileStorage(tempFolder());
    await local.write("conv-1/a", Buffer.from("the real bytes"));
    const s3Target = s3FileStorage(s3.client, { bucket: s3.bucket, prefix: `migrate/${randomUUID()}` });
    // A server that alters what it stores (as aws-chunked framing kept inside the object would).
    const altering: FileStorage = {
      ...s3Target,
      write: (key, data) =>
        s3Target.write(
          key,
          Readable.from(
            (async function* () {
              yield Buffer.from("15;chunk-signature=…\r\n");
              yield* data as Readable;
            })(),
          ),
        ),
    };
    const report = await copyStorage(local, altering);
    expect(report.copied).toBe(0);
    expect(report.failed).toEqual([{ key: "conv-1/a", reason: expect.stringMatching(/checksum mismatch/) }]);
    expect(await s3Target.stat("conv-1/a")).toBeNull();
  });

  it("runs as `npm run sb -- storage migrate`, idempotently", { timeout: 120_000 }, async () => {
    const folder = tempFolder();
    const local = localFileStorage(folder);
    await local.write("conv-9/a", randomBytes(5000));
    await local.write("conv-9/b", Buffer.from("bee"));
    const prefix = `cli/${randomUUID()}`;
    const sb = () =>
      new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/sb.ts", "storage", "migrate"], {
          env: {
            ...process.env,
            STORAGE_DIR: folder,
            STORAGE_URL: `s3://${s3.bucket}/${prefix}`,
            AWS_ENDPOINT_URL_S3: s3.endpoint,
            S3_FORCE_PATH_STYLE: "true",
            AWS_REGION: "us-east-1",
          },
        });
        let stdout = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
        child.stderr.on("data", (chunk: Buffer) => (stdout += chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout }));
      });

    const first = await sb();
    expect(first.stdout).toContain("2 copied, 0 already there (same SHA-256), 0 failed.");
    expect(first.code).toBe(0);
    const again = await sb();
    expect(again.stdout).toContain("0 copied, 2 already there (same SHA-256), 0 failed.");
    const target = s3FileStorage(s3.client, { bucket: s3.bucket, prefix });
    expect((await readAll((await target.open("conv-9/b"))!.stream)).toString()).toBe("bee");
  });
});
