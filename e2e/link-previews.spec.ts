import type { APIRequestContext, Page } from "@playwright/test";
import { GLOBEX_OWNER, createApiToken, expect, namedOperatorPage, openConversation, signedInPage, test } from "./fixtures";

// Link previews (Open Graph) of shares, and what an unfurler (Slackbot, Discord, a mail scanner)
// may and may not do by fetching a link. Shares are made through the v1 API with a personal token.

const TITLE = "Enterprise pricing question";
const SLACKBOT = "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)";
const UNKNOWN_ID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Api = { conversationId: string; share: (body: Record<string, unknown>) => Promise<{ url: string; shareId: string }>; viewCount: (shareId: string) => Promise<number>; revoke: (shareId: string) => Promise<void> };

/** The Globex owner's conversation, and a personal token's view of the v1 share API for it. */
async function shareApi(owner: Page, request: APIRequestContext): Promise<Api> {
  await owner.goto("/settings/tokens");
  const token = await createApiToken(owner, `previews ${Date.now()}`);
  await openConversation(owner, TITLE);
  const conversationId = new URL(owner.url()).pathname.split("/").pop()!;
  const headers = { Authorization: `Bearer ${token}` };
  return {
    conversationId,
    share: async (body) => {
      const response = await request.post("/api/v1/share", { headers, data: { conversationId, regenerate: true, ...body } });
      expect(response.status(), await response.text()).toBe(201);
      const { data } = (await response.json()) as { data: { shareUrl: string; shareId: string } };
      return { url: data.shareUrl, shareId: data.shareId };
    },
    viewCount: async (shareId) => {
      const response = await request.get(`/api/v1/share/${shareId}`, { headers });
      return ((await response.json()) as { data: { viewCount: number } }).data.viewCount;
    },
    revoke: async (shareId) => {
      expect((await request.delete(`/api/v1/share/${shareId}`, { headers })).ok()).toBe(true);
    },
  };
}

/** A meta tag's content in an HTML page, by property or name. */
function meta(html: string, key: string): string | null {
  const tag = new RegExp(`<meta (?:property|name)="${key.replace(/[.:]/g, "\\$&")}" content="([^"]*)"`).exec(html);
  return tag ? tag[1].replaceAll("&amp;", "&") : null;
}

async function setPublicName(owner: Page, name: string) {
  await owner.goto("/settings/organization");
  await owner.getByLabel("Public name").fill(name);
  await owner.getByRole("button", { name: "Save public name" }).click();
  await expect(owner.getByRole("status")).toHaveText(name ? "Saved." : "Removed: shares show no organization name.");
}

test("a public share has a link preview: absolute og:image, og:url, og:site_name, a large card, and a PNG with the organization's public name", async ({ browser, request, baseURL }) => {
  const owner = await signedInPage(browser, GLOBEX_OWNER.email);
  const api = await shareApi(owner, request);
  const { url } = await api.share({ customTitle: "Seats for 500 people", customDescription: "Pricing for the enterprise plan" });

  // Fetched as an unfurler does: no cookies, no JavaScript.
  const html = await (await request.get(url, { headers: { "User-Agent": SLACKBOT } })).text();
  const image = `${url}/preview-image`;
  expect(url.startsWith(`${baseURL}/share/`)).toBe(true);
  expect(meta(html, "og:url")).toBe(url);
  expect(meta(html, "og:site_name")).toBe("Switchboard");
  expect(meta(html, "og:title")).toBe("Seats for 500 people");
  expect(meta(html, "og:image")).toBe(image);
  expect(meta(html, "og:image:width")).toBe("1200");
  expect(meta(html, "og:image:height")).toBe("630");
  expect(meta(html, "twitter:card")).toBe("summary_large_image");
  expect(meta(html, "twitter:image")).toBe(image);

  const fetchImage = async () => {
    const response = await request.get(image, { headers: { "User-Agent": SLACKBOT } });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/png");
    const bytes = await response.body();
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630]);
    return bytes;
  };
  const unnamed = await fetchImage();
  // The same share draws the same picture, so a change below is the name's doing.
  expect((await fetchImage()).equals(unnamed)).toBe(true);

  await setPublicName(owner, "Globex Help");
  try {
    expect((await fetchImage()).equals(unnamed)).toBe(false);
    const page = await request.get(url);
    const body = await page.text();
    expect(body).toContain("Shared by Globex Help with Switchboard");
    for (const secret of [GLOBEX_OWNER.name, GLOBEX_OWNER.email]) expect(body).not.toContain(secret);
  } finally {
    await setPublicName(owner, "");
  }
  expect((await fetchImage()).equals(unnamed)).toBe(true);
});

test("revoked, unknown, members-only and private links have no preview: page and image answer the bytes of an unknown link", async ({ browser, request }) => {
  const owner = await signedInPage(browser, GLOBEX_OWNER.email);
  const api = await shareApi(owner, request);
  const revoked = await api.share({});
  await api.revoke(revoked.shareId);
  const members = await api.share({ visibility: "organization" });
  const mine = await api.share({ visibility: "private" });
  const unknown = revoked.url.replace(/[^/]+$/, UNKNOWN_ID);

  const answer = async (client: APIRequestContext, url: string) => {
    const response = await client.get(url, { headers: { "User-Agent": SLACKBOT } });
    return { status: response.status(), type: response.headers()["content-type"], body: (await response.body()).toString("base64") };
  };
  const unknownPage = await answer(request, unknown);
  const unknownImage = await answer(request, `${unknown}/preview-image`);
  expect(unknownPage.status).toBe(404);
  expect(unknownImage.status).toBe(404);
  for (const { url } of [revoked, members, mine]) {
    expect(await answer(request, url), url).toEqual(unknownPage);
    expect(await answer(request, `${url}/preview-image`), url).toEqual(unknownImage);
  }
  // A member may open the members-only page, but it has no preview for anyone, so no og:image.
  const asMember = owner.context().request;
  const memberPage = await (await asMember.get(members.url)).text();
  expect(memberPage).toContain(TITLE);
  expect(meta(memberPage, "og:image")).toBeNull();
  expect(await answer(asMember, `${members.url}/preview-image`)).toEqual(unknownImage);
});

test("an unfurler's GET of the page and the image counts no view and does not take over a take-over-on-open link", async ({ browser, request }) => {
  const owner = await signedInPage(browser, GLOBEX_OWNER.email);
  const api = await shareApi(owner, request);
  const link = await api.share({ mode: "takeover", takeOverOnOpen: true });

  // A plain request, and a browser without JavaScript, both as Slackbot.
  for (const path of [link.url, `${link.url}/preview-image`]) {
    expect((await request.get(path, { headers: { "User-Agent": SLACKBOT } })).status(), path).toBe(200);
  }
  const unfurler = await (await browser.newContext({ javaScriptEnabled: false, userAgent: SLACKBOT })).newPage();
  await unfurler.goto(link.url);
  await expect(unfurler.getByRole("heading", { name: TITLE })).toBeVisible();
  await unfurler.waitForTimeout(1_500);

  await owner.reload();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  expect(await api.viewCount(link.shareId)).toBe(0);

  // A person opening the link in a browser is counted and takes over: the checks above can fail.
  const operator = await namedOperatorPage(browser, "Dana");
  await operator.goto(link.url);
  await expect(operator.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(owner.getByTestId("control-state")).toHaveText(/Taken over by/);
  await expect.poll(() => api.viewCount(link.shareId)).toBe(1);
  await operator.getByRole("button", { name: "Hand back" }).click();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
});
