import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { cachedSharePage, clearSharePageCache, isPageRenderRequest, PAGE_RENDER_HEADER, renderPageFromSelf, type CachedPage } from "./page-cache";

// The server the cache asks for pages: answers by path, and remembers who asked.
const seen: http.IncomingHttpHeaders[] = [];
const server = http.createServer((request, response) => {
  seen.push(request.headers);
  if (request.url === "/share/ok") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "private, no-store", "x-frame-options": "DENY" });
    response.end("<html>page</html>");
  } else if (request.url === "/share/cookie") {
    response.writeHead(200, { "content-type": "text/html", "set-cookie": "a=b" });
    response.end("<html>mine</html>");
  } else if (request.url === "/share/text") {
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("not a page");
  } else {
    response.writeHead(404, { "content-type": "text/html" });
    response.end("not available");
  }
});
let previousPort: string | undefined;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  previousPort = process.env.PORT;
  process.env.PORT = String((server.address() as AddressInfo).port);
});
afterAll(async () => {
  process.env.PORT = previousPort;
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  clearSharePageCache();
  seen.length = 0;
});

describe("renderPageFromSelf", () => {
  it("keeps a complete HTML page with its headers, asking as this process without cookies", async () => {
    const page = await renderPageFromSelf("/share/ok");
    expect(new TextDecoder().decode(page!.body)).toBe("<html>page</html>");
    expect(Object.fromEntries(page!.headers)).toMatchObject({ "cache-control": "private, no-store", "x-frame-options": "DENY" });
    expect(page!.headers.map(([name]) => name)).not.toContain("content-length");
    expect(seen[0].cookie).toBeUndefined();
    expect(isPageRenderRequest(new Headers({ [PAGE_RENDER_HEADER]: String(seen[0][PAGE_RENDER_HEADER]) }))).toBe(true);
    expect(isPageRenderRequest(new Headers({ [PAGE_RENDER_HEADER]: "guess" }))).toBe(false);
  });

  it("keeps nothing that is not a plain 200 page: an error, a cookie, another type", async () => {
    expect(await renderPageFromSelf("/share/missing")).toBeUndefined();
    expect(await renderPageFromSelf("/share/cookie")).toBeUndefined();
    expect(await renderPageFromSelf("/share/text")).toBeUndefined();
  });

  it("fails, rather than hangs, when the server cannot be reached (the proxy then lets the page render)", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = String((closed.address() as AddressInfo).port);
    await new Promise((resolve) => closed.close(resolve));
    const listening = process.env.PORT;
    process.env.PORT = port;
    try {
      await expect(renderPageFromSelf("/share/ok")).rejects.toThrow();
    } finally {
      process.env.PORT = listening;
    }
  });
});

describe("cachedSharePage", () => {
  it("renders once per key however many viewers ask at once, and again for a new key", async () => {
    let renders = 0;
    const render = async (): Promise<CachedPage> => {
      renders++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { body: new TextEncoder().encode(`render ${renders}`), headers: [] };
    };
    const pages = await Promise.all(Array.from({ length: 50 }, () => cachedSharePage("share\nstate-1", render)));
    expect(renders).toBe(1);
    expect(new Set(pages.map((page) => new TextDecoder().decode(page!.body)))).toEqual(new Set(["render 1"]));
    await cachedSharePage("share\nstate-1", render);
    expect(renders).toBe(1);
    const next = await cachedSharePage("share\nstate-2", render);
    expect(new TextDecoder().decode(next!.body)).toBe("render 2");
  });

  it("does not keep a render that could not be cached, so the next viewer tries again", async () => {
    let renders = 0;
    const render = async () => {
      renders++;
      return undefined;
    };
    expect(await cachedSharePage("share\nstate", render)).toBeUndefined();
    expect(await cachedSharePage("share\nstate", render)).toBeUndefined();
    expect(renders).toBe(2);
  });
});
