import { NextResponse, type NextRequest } from "next/server";
import { REQUESTED_PATH_HEADER } from "@/lib/auth/callback-url";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { env } from "@/lib/env";
import { SHARE_HEADERS } from "./next.config";

// Runs before routing. It does not authorize anything (every action and handler checks its own
// access); it only answers what would otherwise reach Next as an error page.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isDecodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

const NOT_AVAILABLE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Link not available</title></head><body style="font-family:system-ui,sans-serif;text-align:center;padding:6rem 1.5rem"><h1>This link is not available</h1><p>Ask the person who shared it for a new link.</p></body></html>`;

function shareNotAvailable(method: string): Response {
  const page = method === "GET" || method === "HEAD";
  return new Response(page ? NOT_AVAILABLE_PAGE : "This link is not available.", {
    status: 404,
    headers: {
      ...Object.fromEntries(SHARE_HEADERS.map(({ key, value }) => [key, value])),
      "Content-Type": page ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
    },
  });
}

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  // A share path that is not valid UTF-8 (/share/%ED%A0%80) makes Next fail with a bare 500 while
  // matching the route (even after a rewrite, which keeps the original URL's params), so the
  // answer is made here: an unknown link like any other, in the same words and headers.
  if (pathname.startsWith("/share/") && !isDecodable(pathname)) return shareNotAvailable(request.method);

  // Server actions (and every other cookie-carrying POST outside the bearer-token API) from
  // another site: Next refuses a foreign action with a 500; this makes it a plain 403. Actions
  // always come from our pages through fetch, which sends Origin, so a missing one is refused too.
  if (!SAFE_METHODS.has(request.method) && !pathname.startsWith("/api/")) {
    const isAction = request.headers.has("next-action");
    const hosts = ownHosts(request.headers, env.APP_URL);
    if (!isSameOriginRequest(request.headers, hosts, isAction ? "refuse" : "allow-non-browser")) {
      return foreignOriginResponse();
    }
  }

  const headers = new Headers(request.headers);
  headers.set(REQUESTED_PATH_HEADER, `${pathname}${search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Not for Next's own static files and images, nor for the routes that read large bodies as
  // streams (the REST API, web-chat uploads): Next buffers the body of every request the proxy
  // sees (up to proxyClientMaxBodySize) and hands the route a truncated copy past it. Those routes
  // check Origin (the web chat) or need no cookie at all (bearer tokens) themselves.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/|chat/[^/]+/messages).*)"],
};
