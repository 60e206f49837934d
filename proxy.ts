import { NextResponse, type NextRequest } from "next/server";
import { lookUpShare } from "@/app/share/[id]/load-share";
import { REQUESTED_PATH_HEADER } from "@/lib/auth/callback-url";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { env } from "@/lib/env";
import { NOT_AVAILABLE_HTML, NOT_AVAILABLE_TEXT } from "@/lib/shares/not-available-page";
import { cachedPageResponse, cachedSharePage, isPageRenderRequest, renderPageFromSelf } from "@/lib/shares/page-cache";
import { takeoverCookieName } from "@/lib/takeover/cookie";
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

function shareNotAvailable(method: string): Response {
  const page = method === "GET" || method === "HEAD";
  return new Response(page ? NOT_AVAILABLE_HTML : NOT_AVAILABLE_TEXT, {
    status: 404,
    headers: {
      ...Object.fromEntries(SHARE_HEADERS.map(({ key, value }) => [key, value])),
      "Content-Type": page ? "text/html; charset=utf-8" : "text/plain; charset=utf-8",
    },
  });
}

/** The share page itself, not its files, events or image: /share/<id>. */
const SHARE_PAGE = /^\/share\/([^/]+)\/?$/;

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  // A share path that is not valid UTF-8 (/share/%ED%A0%80) makes Next fail with a bare 500 while
  // matching the route (even after a rewrite, which keeps the original URL's params), so the
  // answer is made here: an unknown link like any other, in the same words and headers.
  if (pathname.startsWith("/share/") && !isDecodable(pathname)) return shareNotAvailable(request.method);

  // A share page that cannot be opened: when the page itself calls notFound(), Next answers an
  // empty error shell whose text only JavaScript shows (and without <html lang> or a title). The
  // lookup is the page's own (misses counted the same); an address made to wait, a client-side
  // navigation (RSC) and any other outcome go on to the page.
  const sharePage = SHARE_PAGE.exec(pathname);
  const isPageRequest = (request.method === "GET" || request.method === "HEAD") && !request.headers.has("rsc");
  if (sharePage && isPageRequest && !isPageRenderRequest(request.headers)) {
    const { share, retryAfterSeconds } = await lookUpShare(decodeURIComponent(sharePage[1]));
    if (!share && !retryAfterSeconds) return shareNotAvailable(request.method);
    // An anonymous viewer gets the page rendered once for the share's current state (see
    // lib/shares/page-cache.ts); a failed render leaves the request to the page below.
    if (share && share.actor.viewer.kind === "anonymous" && !request.cookies.has(takeoverCookieName(share.actor.conversationId))) {
      const page = await cachedSharePage(`${share.view.publicId}\n${share.state}`, () => renderPageFromSelf(pathname)).catch((error: unknown) => {
        console.error("Rendering a share page for the cache failed:", error);
        return undefined;
      });
      if (page) return cachedPageResponse(page, request.method);
    }
  }

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
  //
  // Nor for a share's live events with a well-formed id (always decodable; the route answers an
  // unknown one): the proxy has nothing to do for them, and they open by the thousand.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/|chat/[^/]+/messages|share/[A-Za-z0-9_-]+/events$).*)"],
};
