import { renderMessageHtml } from "@/lib/markdown/render";

// Messages are rendered once, when written (lib/messages/append.ts stores the HTML). Messages
// written before that column existed have none: they are rendered on read, and the result is
// kept here rather than written back, because reads include the public share page and its
// live streams — a GET should not write, nor take the conversation lock that writers take. A
// message's text never changes, so its id is a safe key; each instance renders an old message
// at most once while it stays in this cache.

/** The cache holds at most this many characters of HTML (about 16 MB of strings). */
const MAX_CACHED_CHARS = 8_000_000;

const cache = new Map<string, string>();
let cachedChars = 0;

/** The HTML to show for a message: the stored rendering, or one made now (and cached). */
export function messageHtml(message: { id: string; text: string; html: string | null }): string {
  if (message.html !== null) return message.html;
  const cached = cache.get(message.id);
  if (cached !== undefined) {
    // Re-inserting moves the entry to the end: Map keeps insertion order, so the first entry is
    // always the least recently used.
    cache.delete(message.id);
    cache.set(message.id, cached);
    return cached;
  }
  const html = renderMessageHtml(message.text);
  cache.set(message.id, html);
  cachedChars += html.length;
  for (const [id, evicted] of cache) {
    if (cachedChars <= MAX_CACHED_CHARS) break;
    cache.delete(id);
    cachedChars -= evicted.length;
  }
  return html;
}
