import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readJsonBodyLimited } from "@/lib/http/read-body";

/** A chunked request body (no Content-Length) of `chunks` chunks, counting how many were pulled. */
function chunkedRequest(chunk: Uint8Array, chunks: number) {
  const counter = { pulled: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled === chunks) return controller.close();
      counter.pulled++;
      controller.enqueue(chunk);
    },
  });
  const request = new Request("http://localhost/api", { method: "POST", body, duplex: "half" } as RequestInit);
  return { request, counter };
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("readJsonBodyLimited", () => {
  it("parses a JSON body within the limit, also when it arrives in chunks", async () => {
    const request = new Request("http://localhost/api", { method: "POST", body: JSON.stringify({ text: "héllo" }) });
    expect(await readJsonBodyLimited(request, 1024)).toEqual({ text: "héllo" });
    const { request: chunked } = chunkedRequest(new TextEncoder().encode(" "), 10);
    // Ten spaces are not JSON, but an array split over chunks is:
    await expect(readJsonBodyLimited(chunked, 1024)).rejects.toThrow("Body must be JSON");
    const parts = ['{"a":', "[1,2,", "3]}"].map((part) => new TextEncoder().encode(part));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        parts.forEach((part) => controller.enqueue(part));
        controller.close();
      },
    });
    expect(await readJsonBodyLimited(new Request("http://localhost/api", { method: "POST", body, duplex: "half" } as RequestInit), 64)).toEqual({
      a: [1, 2, 3],
    });
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const { request, counter } = chunkedRequest(new Uint8Array(1024), 100);
    const declared = new Request(request, { headers: { "content-length": "102400" } });
    const error = await errorOf(readJsonBodyLimited(declared, 10_000));
    expect(error.code).toBe("payload_too_large");
    // Streams pull a chunk or two ahead on their own; the other 98 are never asked for.
    expect(counter.pulled).toBeLessThanOrEqual(2);
  });

  it("stops reading a chunked body at the limit: 1 GiB offered, about the limit pulled", async () => {
    const MiB = 1024 * 1024;
    const { request, counter } = chunkedRequest(new Uint8Array(64 * 1024).fill(0x20), 16 * 1024);
    const error = await errorOf(readJsonBodyLimited(request, MiB));
    expect(error.code).toBe("payload_too_large");
    expect(error.status).toBe(413);
    // 16 chunks fill the limit; the 17th crosses it. A stream may pull a little ahead.
    expect(counter.pulled).toBeLessThanOrEqual(20);
  });

  it("answers 400 'Body must be JSON' for empty, non-JSON and non-UTF-8 bodies", async () => {
    for (const body of ["", "{not json", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const error = await errorOf(readJsonBodyLimited(new Request("http://localhost/api", { method: "POST", body }), 1024));
      expect(error.code).toBe("bad_request");
      expect(error.message).toBe("Body must be JSON");
    }
    const error = await errorOf(readJsonBodyLimited(new Request("http://localhost/api", { method: "POST" }), 1024));
    expect(error.message).toBe("Body must be JSON");
  });
});
