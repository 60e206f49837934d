// No "server-only" here: proxy.ts uses this too.

/** How strictly a request without an Origin header is treated. */
export type MissingOrigin = "refuse" | "allow-non-browser";

/** The hosts a same-origin request may come from: the one it was sent to, and the public one. */
export function ownHosts(headers: Headers, appUrl: string): string[] {
  // Next compares against X-Forwarded-Host first (set by a proxy in front, or by `next start`).
  const requested = headers.get("x-forwarded-host") ?? headers.get("host");
  return [requested, new URL(appUrl).host].filter((host): host is string => Boolean(host));
}

/**
 * Whether a state-changing request may be acted on: its Origin is one of our own hosts. A
 * missing Origin passes under "allow-non-browser" only when Sec-Fetch-Site is missing too:
 * browsers send Origin with every POST (and Sec-Fetch-Site since 2020-2023), so such a request
 * comes from a script or an old client that carries no visitor's cookies, and CSRF needs a
 * visitor's browser. `Origin: null` (sandboxed frames, data: pages, some redirects) never passes.
 */
export function isSameOriginRequest(headers: Headers, hosts: string[], missing: MissingOrigin): boolean {
  const origin = headers.get("origin");
  if (origin === null) return missing === "allow-non-browser" && headers.get("sec-fetch-site") === null;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host !== "" && hosts.includes(host);
}

/** The answer to a request from another site: 403, nothing done. */
export function foreignOriginResponse(): Response {
  return Response.json(
    { error: { code: "forbidden", message: "This request must come from Switchboard's own pages." } },
    { status: 403 },
  );
}
