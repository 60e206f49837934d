import { randomUUID } from "node:crypto";
import { LRUCache } from "lru-cache";

// The share page as an anonymous viewer sees it, rendered once per state of the share and its
// conversation and then served as bytes. Every viewer of an unchanged conversation would
// otherwise pay a whole React render (~25 ms of CPU for 220 messages) for the same HTML.
//
// Who decides what: the proxy (proxy.ts) opens the share for every request first, so a revoked
// or expired link is 404 on the very next request and the key is the share's current state
// (lib/shares/public.ts stateOf: a new message, a control change or an edit is a new key, never
// a stale hit). Only anonymous viewers without a takeover cookie share a page; members and the
// operator holding the chat are rendered for themselves. A page is rendered by asking this same
// server for it (a request the proxy lets through to Next, marked by a per-process token): Next
// renders a page only as a response, so that is the one way to keep its bytes.
//
// Anything a page shows from outside those rows is at most TTL old; the messages, files, control,
// the link's settings and the organization's public name are never stale.

/**
 * A rendered page: its body and the headers Next sent with it. Kept uncompressed: Next gzips
 * every response itself and drops a proxy response's own Content-Encoding (tried: a gzipped
 * copy came out gzipped twice), so a viewer accepting gzip costs one compression per view.
 */
export type CachedPage = { body: Uint8Array; headers: [string, string][] };

/** How long a page may be served without its state changing (for the facts outside the key). */
const TTL_MS = 60_000;

/** At most this many bytes of pages per process (a 220-message page is about 150 KB). */
const MAX_BYTES = 64 * 1024 * 1024;

/** Marks the server's own request for a page; the token proves it came from this process. */
export const PAGE_RENDER_HEADER = "x-switchboard-page-render";

// One token per process, shared by the proxy and the page (Next may load them as separate module
// instances), never sent to a browser.
const tokenSlot = Symbol.for("switchboard.sharePageRenderToken");
const processGlobal = globalThis as typeof globalThis & { [tokenSlot]?: string };
const renderToken = (processGlobal[tokenSlot] ??= randomUUID());

/** True for the server's own request for a page (the proxy lets it through; the page skips the per-address limit already applied). */
export function isPageRenderRequest(headers: Headers): boolean {
  return headers.get(PAGE_RENDER_HEADER) === renderToken;
}

// Response headers that describe one transfer, not the page (and a cookie is never shared).
const PER_RESPONSE = new Set(["connection", "content-encoding", "content-length", "date", "keep-alive", "set-cookie", "transfer-encoding"]);

type Render = () => Promise<CachedPage | undefined>;

// lru-cache's fetch runs one render per key however many viewers ask at once.
const pages = new LRUCache<string, CachedPage, Render>({
  maxSize: MAX_BYTES,
  sizeCalculation: (page) => page.body.byteLength + 1024,
  ttl: TTL_MS,
  fetchMethod: (_key, _stale, { context }) => context(),
});

/** The page for this key, rendered by `render` on a miss; undefined when it cannot be cached. */
export async function cachedSharePage(key: string, render: Render): Promise<CachedPage | undefined> {
  return pages.fetch(key, { context: render });
}

/**
 * Renders `path` by asking this server for it as an anonymous viewer. Only a complete 200 HTML
 * page without a cookie is kept; anything else (a 404, a redirect, an error) is left to the
 * viewer's own request.
 */
export async function renderPageFromSelf(path: string): Promise<CachedPage | undefined> {
  const response = await fetch(new URL(path, selfOrigin()), {
    headers: { [PAGE_RENDER_HEADER]: renderToken, "accept-encoding": "identity" },
    redirect: "manual",
    signal: AbortSignal.timeout(30_000),
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const isHtml = response.headers.get("content-type")?.startsWith("text/html") ?? false;
  if (response.status !== 200 || !isHtml || response.headers.has("set-cookie")) return undefined;
  const headers = [...response.headers].filter(([name]) => !PER_RESPONSE.has(name.toLowerCase()));
  return { body, headers };
}

/** This server on loopback (or the one address it listens on): `next start` sets PORT once listening. */
function selfOrigin(): string {
  const listening = process.env.LISTEN_HOST;
  const host = !listening || listening === "0.0.0.0" ? "127.0.0.1" : listening === "::" ? "::1" : listening;
  return `http://${host.includes(":") ? `[${host}]` : host}:${process.env.PORT ?? "3000"}`;
}

/** The response for a cached page. */
export function cachedPageResponse(page: CachedPage, method: string): Response {
  return new Response(method === "HEAD" ? null : (page.body as Uint8Array<ArrayBuffer>), { status: 200, headers: page.headers });
}

/** Drops every page (tests). */
export function clearSharePageCache() {
  pages.clear();
}
