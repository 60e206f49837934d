import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

const APP = "http://localhost:3000";

function request(path: string, { method = "POST", origin, action = false, fetchSite }: { method?: string; origin?: string | null; action?: boolean; fetchSite?: string } = {}) {
  const headers = new Headers({ host: "localhost:3000" });
  if (origin !== null) headers.set("origin", origin ?? APP);
  if (action) headers.set("next-action", "7f00000000000000000000000000000000000000");
  if (fetchSite) headers.set("sec-fetch-site", fetchSite);
  return new NextRequest(`${APP}${path}`, { method, headers });
}

const passedOn = (response: Response) => response.headers.get("x-middleware-next") === "1";

const saved = { ...process.env };
beforeEach(() => {
  process.env.APP_URL = APP;
});
afterEach(() => {
  process.env = { ...saved };
});

// Every page with server actions, and the cookie-authenticated route handlers.
const ACTION_PAGES = ["/conversations/c1", "/bots/b1", "/settings/tokens", "/settings/sessions", "/share/s1"];
const COOKIE_POSTS = ["/chat/b1/messages", "/share/s1/view"];

describe("proxy: Origin of state-changing requests", () => {
  it("answers 403 to a server action from another site, a null Origin or none", async () => {
    for (const path of ACTION_PAGES) {
      for (const origin of ["https://evil.example", "null", "http://localhost:3000.evil.example", "http://localhost:3001", null]) {
        const response = await proxy(request(path, { action: true, origin }));
        expect(response.status, `${path} from ${origin}`).toBe(403);
        expect(passedOn(response)).toBe(false);
      }
      expect(passedOn(await proxy(request(path, { action: true }))), path).toBe(true);
    }
  });

  it("answers 403 to cookie-carrying POSTs from another site; scripts without Origin or Sec-Fetch-Site pass", async () => {
    for (const path of COOKIE_POSTS) {
      expect((await proxy(request(path, { origin: "https://evil.example" }))).status, path).toBe(403);
      expect((await proxy(request(path, { origin: "null" }))).status, path).toBe(403);
      expect((await proxy(request(path, { origin: null, fetchSite: "cross-site" }))).status, path).toBe(403);
      expect(passedOn(await proxy(request(path, { origin: null }))), path).toBe(true);
      expect(passedOn(await proxy(request(path))), path).toBe(true);
    }
  });

  it("leaves the bearer-token API and GETs alone", async () => {
    expect(passedOn(await proxy(request("/api/v1/share", { origin: "https://evil.example" })))).toBe(true);
    expect(passedOn(await proxy(request("/conversations", { method: "GET", origin: "https://evil.example" })))).toBe(true);
  });

  it("passes the requested path on for the sign-in page's deep link", async () => {
    const response = await proxy(request("/conversations/c1?tab=files", { method: "GET" }));
    expect(response.headers.get("x-middleware-request-x-switchboard-path")).toBe("/conversations/c1?tab=files");
  });
});

describe("proxy: share paths that are not UTF-8", () => {
  it("shows the not-available page, with the share headers, like any unknown link", async () => {
    const response = await proxy(request("/share/%ED%A0%80", { method: "GET" }));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("This link is not available");
    expect(response.headers.get("x-robots-tag")).toBe("noindex, nofollow");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  });

  it("answers 404 to other methods", async () => {
    const response = await proxy(request("/share/%ED%A0%80/view"));
    expect(response.status).toBe(404);
    expect(await response.text()).toBe("This link is not available.");
    expect(response.headers.get("x-robots-tag")).toBe("noindex, nofollow");
  });
});
