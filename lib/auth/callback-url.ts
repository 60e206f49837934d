export const DEFAULT_CALLBACK_PATH = "/conversations";

/** Set by proxy.ts on every request: the path asked for, so signed-out pages can send it to sign-in. */
export const REQUESTED_PATH_HEADER = "x-switchboard-path";

// C0 controls, DEL and backslash: browsers drop tabs and newlines from URLs and read "\" as "/",
// so "/\evil.example" and "/<TAB>/evil.example" both become "//evil.example", another host.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/;

function decodeOnce(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Where to send someone after signing in: the path (with query and fragment) of `value` when it
 * stays on one of `origins` (the app's own), else /conversations. Only "/path" or an absolute URL
 * of an allowed origin qualifies; "//host", "/\host", encoded control characters and any other
 * origin do not. The result always starts with exactly one "/".
 */
export function safeCallbackPath(value: unknown, origins: string[]): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2048) return DEFAULT_CALLBACK_PATH;
  const decoded = decodeOnce(value);
  if (decoded === null || UNSAFE_CHARACTERS.test(value) || UNSAFE_CHARACTERS.test(decoded)) return DEFAULT_CALLBACK_PATH;
  const allowed = origins.map((origin) => new URL(origin).origin);
  const relative = value.startsWith("/") && !value.startsWith("//");
  if (!relative && !allowed.some((origin) => value.startsWith(`${origin}/`) || value === origin)) return DEFAULT_CALLBACK_PATH;
  let url: URL;
  try {
    url = new URL(value, allowed[0]);
  } catch {
    return DEFAULT_CALLBACK_PATH;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil.example" resolves to the path "//evil.example": relative again, to another host.
  if (!allowed.includes(url.origin) || !path.startsWith("/") || path.startsWith("//")) return DEFAULT_CALLBACK_PATH;
  return path;
}
