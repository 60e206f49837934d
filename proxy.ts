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

export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  // A share path that is not valid UTF-8 (/share/%ED%A0%80) makes Next fail with a bare 500;
  // it is an unknown link like any other and gets the same answer.
  if (pathname.startsWith("/share/") && !isDecodable(pathname)) {
    if (request.method === "GET" || request.method === "HEAD") {
      const response = NextResponse.rewrite(new URL("/share/link-not-available", request.url));
      for (const { key, value } of SHARE_HEADERS) response.headers.set(key, value);
      return response;
    }
    return new NextResponse("This link is not available.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", ...Object.fromEntries(SHARE_HEADERS.map(({ key, value }) => [key, value])) },
    });
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
  // Not for Next's own static files and images.
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
