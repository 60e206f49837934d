/**
 * The web chat's upload path, end to end through the route handler (POST /chat/<bot>/messages):
 * bodies are generated on the fly and the process's RSS is sampled while they are sent.
 */
import { createHash, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/chat/[botId]/messages/route";
import { prisma } from "@/lib/db";
import { getFileStorage } from "@/lib/storage";
import { peakRssGrowth } from "@/lib/storage/memory-probe";
import { createOrganization } from "@/lib/testing/fixtures";
import { recordStorageWrites } from "@/lib/testing/side-effects";

// The route reads and sets the contact cookie through next/headers, which needs Next's request scope.
vi.mock("next/headers", () => ({ cookies: async () => ({ get: () => undefined, set: () => {} }) }));

const MiB = 1024 * 1024;
const BOUNDARY = "----switchboard-test-boundary";
const encoder = new TextEncoder();

type Part = { name: string; value: string } | { name: string; fileName: string; type?: string; size: number };

/**
 * A multipart body streamed as it is pulled (no Content-Length: chunked), file contents made up
 * 64 KiB at a time. `pulled` counts the bytes the server asked for; `sha256[i]` is file i's hash.
 */
function multipartBody(parts: Part[]) {
  const state = { pulled: 0, sha256: [] as string[] };
  async function* generate() {
    for (const part of parts) {
      if ("value" in part) {
        yield encoder.encode(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`);
        continue;
      }
      yield encoder.encode(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.type ?? "application/octet-stream"}\r\n\r\n`,
      );
      const hash = createHash("sha256");
      const block = randomBytes(64 * 1024);
      for (let sent = 0; sent < part.size; sent += block.length) {
        const chunk = Buffer.from(block.subarray(0, Math.min(block.length, part.size - sent)));
        chunk.writeUInt32BE(sent / block.length, 0);
        hash.update(chunk);
        yield chunk;
      }
      state.sha256.push(hash.digest("hex"));
      yield encoder.encode("\r\n");
    }
    yield encoder.encode(`--${BOUNDARY}--\r\n`);
  }
  const iterator = generate();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) return controller.close();
      state.pulled += value.byteLength;
      controller.enqueue(value);
    },
  });
  return { body, state };
}

async function send(botId: string, parts: Part[]) {
  const { body, state } = multipartBody(parts);
  const request = new Request(`http://localhost/chat/${botId}/messages`, {
    method: "POST",
    headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
    body,
    duplex: "half",
  } as RequestInit);
  const response = await POST(request, { params: Promise.resolve({ botId }) });
  return { response, state };
}

async function sha256Stored(storageKey: string) {
  const hash = createHash("sha256");
  for await (const chunk of (await getFileStorage().open(storageKey))!.stream) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function expectNothingStored(keys: string[]) {
  for (const key of keys) expect(await getFileStorage().stat(key), key).toBeNull();
}

const savedLimit = process.env.MAX_UPLOAD_BYTES;
afterEach(() => {
  if (savedLimit === undefined) delete process.env.MAX_UPLOAD_BYTES;
  else process.env.MAX_UPLOAD_BYTES = savedLimit;
});

describe("POST /chat/<bot>/messages uploads", () => {
  it("stores each file with its exact bytes and UTF-8 name, and skips an empty file input", async () => {
    const { bot } = await createOrganization();
    const { response, state } = await send(bot.id, [
      { name: "text", value: "two files" },
      { name: "name", value: "Ana" },
      { name: "files", fileName: "résumé.pdf", type: "application/pdf", size: 200_000 },
      { name: "files", fileName: "notes.txt", type: "text/plain", size: 10 },
      { name: "files", fileName: "", size: 0 },
    ]);
    expect(response.status).toBe(201);
    const { messages } = (await response.json()) as { messages: { attachments: { id: string; fileName: string; size: number }[] }[] };
    expect(messages[0].attachments.map((file) => [file.fileName, file.size])).toEqual([
      ["résumé.pdf", 200_000],
      ["notes.txt", 10],
    ]);
    const stored = await prisma.attachment.findMany({ where: { id: { in: messages[0].attachments.map((file) => file.id) } }, orderBy: { fileName: "desc" } });
    expect(await Promise.all(stored.map((file) => sha256Stored(file.storageKey)))).toEqual(state.sha256.slice(0, 2));
  });

  it("refuses a chunked 600 MB file with 413 at the limit, reading little more than the limit, with flat memory", { timeout: 120_000 }, async () => {
    const { bot } = await createOrganization();
    const writes = recordStorageWrites();
    const { result, growth } = await peakRssGrowth(() =>
      send(bot.id, [
        { name: "text", value: "big one" },
        { name: "files", fileName: "huge.bin", size: 600 * MiB },
      ]),
    );
    writes.stop();
    console.log(`600 MB chunked body, MAX_UPLOAD_BYTES 25 MiB: 413 after ${(result.state.pulled / MiB).toFixed(1)} MiB read; RSS +${(growth / MiB).toFixed(1)} MiB`);
    expect(result.response.status).toBe(413);
    expect(await result.response.json()).toMatchObject({ error: { code: "payload_too_large", message: "huge.bin is larger than 25 MB." } });
    expect(result.state.pulled).toBeLessThan(27 * MiB);
    expect(growth).toBeLessThan(64 * MiB);
    expect(writes.keys).toHaveLength(1);
    await expectNothingStored(writes.keys);
  });

  it("takes a legitimate 300 MB upload with flat memory and the same SHA-256", { timeout: 300_000 }, async () => {
    process.env.MAX_UPLOAD_BYTES = String(300 * MiB);
    const { bot } = await createOrganization();
    const { result, growth } = await peakRssGrowth(() => send(bot.id, [{ name: "files", fileName: "backup.tar", size: 300 * MiB }]));
    console.log(`300 MB upload: ${result.response.status}; RSS +${(growth / MiB).toFixed(1)} MiB`);
    expect(result.response.status).toBe(201);
    const { messages } = (await result.response.json()) as { messages: { attachments: { id: string }[] }[] };
    const attachment = await prisma.attachment.findUniqueOrThrow({ where: { id: messages[0].attachments[0].id } });
    expect(Number(attachment.size)).toBe(300 * MiB);
    expect(await sha256Stored(attachment.storageKey)).toBe(result.state.sha256[0]);
    await getFileStorage().remove(attachment.storageKey);
    expect(growth).toBeLessThan(64 * MiB);
  });

  it("cuts off a body over the total limit even when no single file is too large", async () => {
    process.env.MAX_UPLOAD_BYTES = String(MiB);
    const { bot } = await createOrganization();
    const writes = recordStorageWrites();
    // A part the route does not store still counts towards the body's limit (5 × 1 MiB + 1 MiB).
    const { response, state } = await send(bot.id, [
      { name: "files", fileName: "kept.txt", size: 1000 },
      { name: "padding", fileName: "ignored.bin", size: 20 * MiB },
    ]);
    writes.stop();
    expect(response.status).toBe(413);
    expect(state.pulled).toBeLessThan(7 * MiB);
    await expectNothingStored(writes.keys);
  });

  it("refuses a sixth file with 400 and removes the five it stored", async () => {
    const { bot } = await createOrganization();
    const writes = recordStorageWrites();
    const files = Array.from({ length: 6 }, (_, index) => ({ name: "files", fileName: `f${index}.txt`, size: 100 }));
    const { response } = await send(bot.id, files);
    writes.stop();
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: "Attach at most 5 files." } });
    await expectNothingStored(writes.keys);
  });

  it("removes the stored files when the message is then refused (unknown bot, bad text)", async () => {
    const writes = recordStorageWrites();
    const unknownBot = await send("no-such-bot", [{ name: "files", fileName: "a.txt", size: 100 }]);
    const { bot } = await createOrganization();
    const badText = await send(bot.id, [
      { name: "text", value: "x".repeat(5000) },
      { name: "files", fileName: "b.txt", size: 100 },
    ]);
    writes.stop();
    expect(unknownBot.response.status).toBe(404);
    expect(badText.response.status).toBe(400);
    expect(writes.keys).toHaveLength(2);
    await expectNothingStored(writes.keys);
  });

  it("answers 400 for a body that is not multipart", async () => {
    const { bot } = await createOrganization();
    const request = new Request(`http://localhost/chat/${bot.id}/messages`, { method: "POST", body: JSON.stringify({ text: "hi" }), headers: { "content-type": "application/json" } });
    const response = await POST(request, { params: Promise.resolve({ botId: bot.id }) });
    expect(response.status).toBe(400);
  });
});
