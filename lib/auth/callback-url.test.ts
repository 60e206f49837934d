import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { authOptions } from "@/lib/auth/options";

const APP = "https://switchboard.example";

describe("safeCallbackPath", () => {
  it("keeps paths of this app, with query and fragment", () => {
    expect(safeCallbackPath("/conversations/c1", [APP])).toBe("/conversations/c1");
    expect(safeCallbackPath("/conversations?q=a%20b#top", [APP])).toBe("/conversations?q=a%20b#top");
    expect(safeCallbackPath(`${APP}/bots/b1`, [APP])).toBe("/bots/b1");
    expect(safeCallbackPath("/%2F%2Fevil.example", [APP])).toBe("/%2F%2Fevil.example");
  });

  it("sends every way out of the app to /conversations", () => {
    const attempts = [
      "/\\evil.example/phish",
      "/%5Cevil.example/phish",
      "/\tevil.example",
      "/\t/evil.example/phish",
      "/%09/evil.example/phish",
      "/%0a/evil.example",
      "//evil.example",
      "///evil.example",
      "/.//evil.example",
      "https://evil.example/",
      "https://switchboard.example.evil.example/",
      "http://switchboard.example/", // another origin: the scheme differs
      "javascript:alert(1)",
      "evil.example",
      "/%E0%A4%A", // not decodable
      "",
      undefined,
      ["/conversations"],
    ];
    for (const attempt of attempts) expect(safeCallbackPath(attempt, [APP]), String(attempt)).toBe("/conversations");
  });
});

describe("next-auth redirect callback", () => {
  const redirect = (url: string) => authOptions.callbacks!.redirect!({ url, baseUrl: APP });

  it("follows only paths of this app", async () => {
    expect(await redirect("/conversations/c1")).toBe(`${APP}/conversations/c1`);
    expect(await redirect(`${APP}/login`)).toBe(`${APP}/login`);
    expect(await redirect("/\\evil.example/phish")).toBe(`${APP}/conversations`);
    expect(await redirect("https://evil.example/phish")).toBe(`${APP}/conversations`);
  });
});
