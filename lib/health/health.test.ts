import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { GET as getHealth } from "@/app/api/health/route";
import { GET as getReady } from "@/app/api/ready/route";
import { getDatabase, prisma, setDatabase } from "@/lib/db";
import { openPglite } from "@/lib/db-client";
import { conversationEventStream } from "@/lib/events/sse";
import { resetDrainingForTests, startDraining } from "@/lib/health/draining";
import { appendMessage } from "@/lib/messages/append";
import { getFileStorage, setFileStorage } from "@/lib/storage";
import { createS3Client, s3FileStorage } from "@/lib/storage/s3";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

/** A local port with nothing listening on it: connections are refused at once. */
async function closedPort() {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("GET /api/health (liveness)", () => {
  it("answers ok, uncached, without touching the database", async () => {
    const original = getDatabase();
    const closed = openPglite(null);
    await closed.close();
    setDatabase(closed);
    cleanups.push(() => setDatabase(original));

    const response = getHealth();
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ok" });
  });
});

describe("GET /api/ready (readiness)", () => {
  it("answers 200 when the database, the storage and the event receiver all answer", async () => {
    const response = await getReady();
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ status: "ready", checks: { database: "ok", storage: "ok", events: "ok" } });
    expect(response.status).toBe(200);
  });

  it("answers 503 naming the database when it is closed, and says nothing more", async () => {
    const original = getDatabase();
    const closed = openPglite(null);
    await closed.close();
    setDatabase(closed);
    cleanups.push(() => setDatabase(original));

    const response = await getReady();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "unavailable", checks: { database: "failed", storage: "ok", events: "ok" } });
  });

  it("answers 503 naming the storage when S3 is unreachable, without its address or the error", async () => {
    const original = getFileStorage();
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const client = createS3Client({ endpoint, forcePathStyle: true, region: "us-east-1" });
    setFileStorage(s3FileStorage(client, { bucket: "unreachable-bucket", prefix: "files" }));
    cleanups.push(() => {
      setFileStorage(original);
      client.destroy();
    });

    const response = await getReady();
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({ status: "unavailable", checks: { database: "ok", storage: "failed", events: "ok" } });
    expect(text).not.toContain("127.0.0.1");
    expect(text).not.toContain("unreachable-bucket");
  });

  it("answers 503 at once while the instance drains, and ends open event streams with a reconnect hint", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    await prisma.$transaction((tx) => appendMessage(tx, { conversationId: conversation.id, role: "CONTACT", text: "before the drain" }));
    const abort = new AbortController();
    cleanups.push(() => abort.abort());
    const stream = conversationEventStream(new Request("http://localhost/events", { signal: abort.signal }), conversation.id, {
      afterId: BigInt(0),
    });
    const reader = stream.body!.getReader();
    const decoder = new TextDecoder();
    let received = "";
    while (!received.includes("before the drain")) received += decoder.decode((await reader.read()).value, { stream: true });

    cleanups.push(resetDrainingForTests);
    startDraining();
    // The stream ends by itself (done), after telling the browser when to reconnect.
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      received += decoder.decode(value, { stream: true });
    }
    expect(received.slice(received.indexOf("before the drain"))).toMatch(/\n\nretry: \d+\n\n$/);

    const started = performance.now();
    const response = await getReady();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "draining" });
    expect(performance.now() - started).toBeLessThan(100);
  });
});
