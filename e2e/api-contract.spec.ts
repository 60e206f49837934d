// Contract tests of the REST API (PRODUCT.md §5) over HTTP against the running app: statuses,
// envelopes and the type of every field a client reads. Tokens are made the way a user makes
// them, in the UI; every test starts its own conversations through the channel API.
import type { APIRequestContext, APIResponse } from "@playwright/test";
import {
  ACME_OWNER,
  GLOBEX_OWNER,
  botIdByName,
  createApiToken,
  escapeRegExp,
  expect,
  revokeApiToken,
  signedInPage,
  test as base,
} from "./fixtures";
import { DEFAULT_SHARE_FIELDS, exactShareDtoSchema, type ShareDto } from "../lib/api/share-dto";

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHARE_ID = /^[A-Za-z0-9_-]{22,64}$/;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A token of the right shape that was never issued. */
const UNKNOWN_BOT_TOKEN = `sb_bot_${"0".repeat(32)}`;

type CreatedShare = { shareId: string; shareUrl: string; conversation: ShareDto };
type MessageView = {
  id: string;
  seq: string;
  role: "CONTACT" | "BOT" | "OPERATOR" | "SYSTEM";
  text: string;
  authorName: string | null;
  createdAt: string;
  attachments: { id: string; fileName: string; contentType: string; size: number }[];
};
type ChannelReply = { conversationId: string; messages: MessageView[] };
type ApiErrorBody = { code: string; message: string; details: Record<string, string[]> | null };

/** The tokens the tests call with, created once per run in the UI by each organization's owner. */
type Tokens = {
  acme: { supportBotId: string; billingBotId: string; supportBot: string; billingBot: string; personal: string };
  globex: { botId: string; bot: string; personal: string };
};

const test = base.extend<object, { tokens: Tokens }>({
  tokens: [
    async ({ browser }, use) => {
      const acme = await signedInPage(browser, ACME_OWNER.email);
      const supportBotId = await botIdByName(acme, "Acme Support Bot");
      const billingBotId = await botIdByName(acme, "Acme Billing Bot");
      await acme.goto(`/bots/${supportBotId}`);
      const supportBot = await createApiToken(acme, "Contract tests (support)");
      await acme.goto(`/bots/${billingBotId}`);
      const billingBot = await createApiToken(acme, "Contract tests (billing)");
      await acme.goto("/settings/tokens");
      const acmePersonal = await createApiToken(acme, "Contract tests");
      await acme.context().close();

      const globex = await signedInPage(browser, GLOBEX_OWNER.email);
      const globexBotId = await botIdByName(globex, "Globex Helpdesk");
      await globex.goto(`/bots/${globexBotId}`);
      const globexBot = await createApiToken(globex, "Contract tests (helpdesk)");
      await globex.goto("/settings/tokens");
      const globexPersonal = await createApiToken(globex, "Contract tests");
      await globex.context().close();

      await use({
        acme: { supportBotId, billingBotId, supportBot, billingBot, personal: acmePersonal },
        globex: { botId: globexBotId, bot: globexBot, personal: globexPersonal },
      });
    },
    { scope: "worker" },
  ],
});

// --- Calling the API ----------------------------------------------------------------------------

let sequence = 0;
/** An id no other test uses, for contacts and idempotency keys. */
const uniqueId = (label: string) => `${label}-${Date.now().toString(36)}-${++sequence}`;

const bearer = (token: string | null): Record<string, string> => (token === null ? {} : { Authorization: `Bearer ${token}` });
/** Strings are sent byte for byte (to send malformed JSON); anything else as JSON. */
const rawJson = (body: unknown) => (typeof body === "string" ? Buffer.from(body) : body);

function shareApi(request: APIRequestContext, token: string | null) {
  const withBody = (headers?: Record<string, string>) => ({ ...bearer(token), "Content-Type": "application/json", ...headers });
  return {
    create: (body: unknown, headers?: Record<string, string>) =>
      request.post("/api/v1/share", { headers: withBody(headers), data: rawJson(body) }),
    list: (conversationId: string | null) =>
      request.get("/api/v1/share", { headers: bearer(token), params: conversationId === null ? {} : { conversationId } }),
    get: (shareId: string) => request.get(`/api/v1/share/${shareId}`, { headers: bearer(token) }),
    update: (shareId: string, body: unknown) => request.patch(`/api/v1/share/${shareId}`, { headers: withBody(), data: rawJson(body) }),
    revoke: (shareId: string) => request.delete(`/api/v1/share/${shareId}`, { headers: bearer(token) }),
  };
}

function postMessage(request: APIRequestContext, botId: string, token: string | null, body: unknown) {
  return request.post(`/api/v1/bots/${botId}/messages`, {
    headers: { ...bearer(token), "Content-Type": "application/json" },
    data: rawJson(body),
  });
}

function peoplesShare(request: APIRequestContext, token: string | null, mode: string, userId: string, duration: string) {
  return request.get(`/api/peoples/conversation/share/${mode}/${encodeURIComponent(userId)}/${duration}`, { headers: bearer(token) });
}

// --- Reading answers ----------------------------------------------------------------------------

/** The envelope's meta; a list's (`list`) also says where the next page starts (`nextCursor`, null at the end). */
function expectMeta(meta: unknown, response: APIResponse, { list = false } = {}) {
  expect(meta).toEqual({
    timestamp: expect.stringMatching(ISO),
    requestId: expect.stringMatching(UUID),
    ...(list ? { nextCursor: (meta as { nextCursor?: unknown }).nextCursor === null ? null : expect.any(String) } : {}),
  });
  const { timestamp, requestId } = meta as { timestamp: string; requestId: string };
  expect(Math.abs(Date.parse(timestamp) - Date.now())).toBeLessThan(60_000);
  expect(response.headers()["x-request-id"]).toBe(requestId);
}

/** `{ success: true, data, meta }` with this status; returns data. */
async function expectSuccess<T>(response: APIResponse, status: number, { list = false } = {}): Promise<T> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status(), JSON.stringify(body)).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(response.headers()["cache-control"]).toBe("no-store");
  expect(Object.keys(body).sort()).toEqual(["data", "meta", "success"]);
  expect(body.success).toBe(true);
  expectMeta(body.meta, response, { list });
  return body.data as T;
}

/** `{ success: false, error: { code, message, details }, meta }` with this status and code. */
async function expectFailure(response: APIResponse, status: number, code: string): Promise<ApiErrorBody> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status(), JSON.stringify(body)).toBe(status);
  expect(response.headers()["content-type"]).toContain("application/json");
  expect(Object.keys(body).sort()).toEqual(["error", "meta", "success"]);
  expect(body.success).toBe(false);
  const error = body.error as ApiErrorBody;
  expect(Object.keys(error).sort()).toEqual(["code", "details", "message"]);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe("string");
  expect(error.message.length).toBeGreaterThan(0);
  if (error.details !== null) {
    for (const messages of Object.values(error.details)) expect(messages).toEqual(expect.arrayContaining([expect.any(String)]));
  }
  expectMeta(body.meta, response);
  if (status === 401) expect(response.headers()["www-authenticate"]).toMatch(/^Bearer /);
  return error;
}

/** The compatible endpoint's own error shape: `{ "error": "<message>" }`, nothing else. */
async function expectPeoplesError(response: APIResponse, status: number): Promise<string> {
  const body = (await response.json()) as Record<string, unknown>;
  expect(response.status(), JSON.stringify(body)).toBe(status);
  expect(Object.keys(body)).toEqual(["error"]);
  expect(typeof body.error).toBe("string");
  expect((body.error as string).length).toBeGreaterThan(0);
  return body.error as string;
}

/** Every field of PRODUCT.md §5's <share> (plus `mode`), each of its type. */
function expectShareShape(share: ShareDto) {
  const parsed = exactShareDtoSchema.safeParse(share);
  expect(parsed.error?.issues ?? []).toEqual([]);
}

/** A contact's first message through the channel API: the new conversation and its messages. */
async function startConversation(
  request: APIRequestContext,
  bot: { botId: string; token: string },
  text: string,
  contact: { externalId: string; name?: string } = { externalId: uniqueId("contact") },
) {
  const data = await expectSuccess<ChannelReply>(await postMessage(request, bot.botId, bot.token, { contact, text }), 201);
  return { ...data, externalId: contact.externalId };
}

const acmeSupport = (tokens: Tokens) => ({ botId: tokens.acme.supportBotId, token: tokens.acme.supportBot });

async function listShares(request: APIRequestContext, token: string, conversationId: string) {
  return expectSuccess<ShareDto[]>(await shareApi(request, token).list(conversationId), 200, { list: true });
}

async function createShare(request: APIRequestContext, token: string, body: Record<string, unknown>, status = 201) {
  const data = await expectSuccess<CreatedShare>(await shareApi(request, token).create(body), status);
  expectShareShape(data.conversation);
  return data;
}

async function readShare(request: APIRequestContext, token: string, shareId: string) {
  const share = await expectSuccess<ShareDto>(await shareApi(request, token).get(shareId), 200);
  expectShareShape(share);
  return share;
}

// --- GET /api/peoples/conversation/share/<mode>/<user_id>/<duration> ---------------------------

test.describe("GET /api/peoples/conversation/share/<mode>/<user_id>/<duration>", () => {
  test("answers 200 {Url} with an absolute link that opens the share page; same settings, same link", async ({ request, page, tokens, baseURL }) => {
    // A phone number, as a WhatsApp bridge would send it: the path segment is URL-encoded.
    const externalId = `+49 151 ${uniqueId("peoples")}`;
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "Where is my package?", { externalId, name: "Pia Peoples" });

    const response = await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1");

    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("application/json");
    const body = (await response.json()) as { Url: string };
    expect(Object.keys(body)).toEqual(["Url"]);
    expect(body.Url).toMatch(new RegExp(`^${escapeRegExp(baseURL!)}/share/[A-Za-z0-9_-]{22,64}$`));
    const shareId = body.Url.split("/").at(-1)!;

    // The link is a full, public view link of that conversation, valid for one hour.
    const share = await readShare(request, tokens.acme.supportBot, shareId);
    expect(share).toMatchObject({ conversationId, mode: "view", shareType: "full", visibility: "public", status: "active" });
    expect(Date.parse(share.expiresAt!) - Date.parse(share.createdAt)).toBeGreaterThan(HOUR_MS - 5_000);
    expect(Date.parse(share.expiresAt!) - Date.parse(share.createdAt)).toBeLessThan(HOUR_MS + 5_000);

    // Anyone with the link reads the conversation in a browser.
    const opened = await page.goto(body.Url);
    expect(opened?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Where is my package?" })).toBeVisible();
    await expect(page.getByTestId("message")).toHaveCount(3);
    await expect(page.getByTestId("message").nth(1)).toContainText("I'm sorry about your order, Pia Peoples.");

    const again = (await (await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1")).json()) as { Url: string };
    const longer = await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "2");
    const takeover = await peoplesShare(request, tokens.acme.supportBot, "takeover", externalId, "1");
    const auto = await peoplesShare(request, tokens.acme.supportBot, "auto", externalId, "1");
    const stillSame = (await (await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1")).json()) as { Url: string };

    expect(again.Url).toBe(body.Url);
    expect(stillSame.Url).toBe(body.Url);
    const others = await Promise.all([longer, takeover, auto].map(async (other) => {
      expect(other.status()).toBe(200);
      return ((await other.json()) as { Url: string }).Url;
    }));
    expect(new Set([body.Url, ...others]).size).toBe(4);
    const shares = await listShares(request, tokens.acme.supportBot, conversationId);
    expect(shares.map((listed) => listed.mode).sort()).toEqual(["auto", "takeover", "view", "view"]);
  });

  test("answers 400 for a bad mode or duration and creates nothing", async ({ request, tokens }) => {
    const { conversationId, externalId } = await startConversation(request, acmeSupport(tokens), "hello");
    const cases: [string, string, RegExp][] = [
      ["edit", "24", /mode/],
      ["views", "24", /mode/],
      ["view", "0", /duration/],
      ["view", "-1", /duration/],
      ["view", "1.5", /duration/],
      ["view", "abc", /duration/],
      ["view", "87601", /duration/],
    ];

    for (const [mode, duration, mentions] of cases) {
      const message = await expectPeoplesError(await peoplesShare(request, tokens.acme.supportBot, mode, externalId, duration), 400);
      expect(message, `${mode}/${duration}`).toMatch(mentions);
    }
    expect(await listShares(request, tokens.acme.supportBot, conversationId)).toEqual([]);
  });

  test("answers 401 for a missing, wrong or malformed token and for a personal token", async ({ request, tokens }) => {
    const { conversationId, externalId } = await startConversation(request, acmeSupport(tokens), "hello");
    const call = (headers: Record<string, string>) =>
      request.get(`/api/peoples/conversation/share/view/${encodeURIComponent(externalId)}/24`, { headers });

    expect(await expectPeoplesError(await call({}), 401)).toMatch(/Missing API token/);
    expect(await expectPeoplesError(await call(bearer(UNKNOWN_BOT_TOKEN)), 401)).toBe("Invalid API token.");
    expect(await expectPeoplesError(await call(bearer("not-a-token")), 401)).toMatch(/Malformed API token/);
    expect(await expectPeoplesError(await call({ Authorization: `Basic ${tokens.acme.supportBot}` }), 401)).toMatch(/Malformed Authorization header/);
    expect(await expectPeoplesError(await call(bearer(tokens.acme.personal)), 401)).toMatch(/bot token/);
    expect(await listShares(request, tokens.acme.supportBot, conversationId)).toEqual([]);
  });

  test("answers 404 for an unknown user_id and for another bot's contact", async ({ request, tokens }) => {
    const { conversationId, externalId } = await startConversation(request, acmeSupport(tokens), "hello");

    const unknown = await expectPeoplesError(await peoplesShare(request, tokens.acme.supportBot, "view", uniqueId("nobody"), "24"), 404);
    const otherBotSameOrganization = await expectPeoplesError(await peoplesShare(request, tokens.acme.billingBot, "view", externalId, "24"), 404);
    const otherOrganization = await expectPeoplesError(await peoplesShare(request, tokens.globex.bot, "view", externalId, "24"), 404);

    expect(unknown).toBe("No conversation found for this user_id.");
    expect(otherBotSameOrganization).toBe(unknown);
    expect(otherOrganization).toBe(unknown);
    expect(await listShares(request, tokens.acme.supportBot, conversationId)).toEqual([]);
  });

  // Through Next's own routing: it would run GET for a HEAD that has no handler of its own, and
  // answer a path it cannot match with its HTML 404 page.
  test("answers HEAD with 405 and creates nothing; a path with a missing or extra segment is a JSON 400", async ({ request, tokens }) => {
    const { conversationId, externalId } = await startConversation(request, acmeSupport(tokens), "hello");
    const base = "/api/peoples/conversation/share";

    const head = await request.head(`${base}/view/${encodeURIComponent(externalId)}/24`, { headers: bearer(tokens.acme.supportBot) });
    expect(head.status()).toBe(405);
    expect(head.headers()["allow"]).toBe("GET");

    for (const path of [base, `${base}/view`, `${base}/view/${encodeURIComponent(externalId)}`, `${base}/view/${encodeURIComponent(externalId)}/24/more`]) {
      expect(await expectPeoplesError(await request.get(path, { headers: bearer(tokens.acme.supportBot) }), 400), path).toMatch(/<mode>\/<user_id>\/<duration>/);
    }
    expect(await listShares(request, tokens.acme.supportBot, conversationId)).toEqual([]);
  });
});

// --- POST /api/v1/share -------------------------------------------------------------------------

test.describe("POST /api/v1/share", () => {
  test("creates a share: 201 with the link and every <share> field; the same settings answer the same share (200)", async ({ request, tokens, baseURL }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "My refund has not arrived");
    const before = Date.now();

    const created = await expectSuccess<CreatedShare>(await shareApi(request, tokens.acme.personal).create({ conversationId }), 201);

    expect(Object.keys(created).sort()).toEqual(["conversation", "shareId", "shareUrl"]);
    expect(created.shareId).toMatch(SHARE_ID);
    expect(created.shareUrl).toBe(`${baseURL}/share/${created.shareId}`);
    expectShareShape(created.conversation);
    expect(created.conversation).toMatchObject({
      shareId: created.shareId,
      conversationId,
      ...DEFAULT_SHARE_FIELDS,
    });
    expect(Date.parse(created.conversation.createdAt)).toBeGreaterThanOrEqual(before - 2_000);
    expect(Date.parse(created.conversation.createdAt)).toBeLessThanOrEqual(Date.now() + 2_000);
    expect(Date.parse(created.conversation.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.conversation.createdAt));

    const page = await request.get(created.shareUrl);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain("My refund has not arrived");

    const same = await createShare(request, tokens.acme.personal, { conversationId }, 200);
    const otherTitle = await createShare(request, tokens.acme.personal, { conversationId, customTitle: "Refund" });
    const regenerated = await createShare(request, tokens.acme.personal, { conversationId, regenerate: true });
    // A bot token acts as its bot, never as a member: the share names the bot as its creator.
    const byBot = await createShare(request, tokens.acme.supportBot, { conversationId, regenerate: true });

    expect(same.shareId).toBe(created.shareId);
    expect(same.conversation.id).toBe(created.conversation.id);
    expect(new Set([created.shareId, otherTitle.shareId, regenerated.shareId, byBot.shareId]).size).toBe(4);
    expect(byBot.conversation).toMatchObject({ userId: null, createdBy: { type: "bot", id: tokens.acme.supportBotId } });
    expect(created.conversation.createdBy).toEqual({ type: "member", id: created.conversation.userId });
    expect((await listShares(request, tokens.acme.personal, conversationId)).length).toBe(4);
  });

  test("stores every option, with expires_in_days or expiresInDays as days", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");

    const auto = await createShare(request, tokens.acme.personal, {
      conversationId,
      visibility: "organization",
      allowContinuation: true,
      expires_in_days: 7,
      customTitle: "Order #1042",
      customDescription: "The refund, start to end.",
      mode: "auto",
    });
    const camel = await createShare(request, tokens.acme.personal, { conversationId, expiresInDays: 2, mode: "takeover", visibility: "private" });

    expect(auto.conversation).toMatchObject({
      visibility: "organization",
      allowContinuation: true,
      customTitle: "Order #1042",
      customDescription: "The refund, start to end.",
      mode: "auto",
      status: "active",
    });
    expect(Date.parse(auto.conversation.expiresAt!) - Date.parse(auto.conversation.createdAt)).toBeGreaterThan(7 * DAY_MS - 5_000);
    expect(Date.parse(auto.conversation.expiresAt!) - Date.parse(auto.conversation.createdAt)).toBeLessThan(7 * DAY_MS + 5_000);
    expect(camel.conversation).toMatchObject({ mode: "takeover", visibility: "private" });
    expect(Date.parse(camel.conversation.expiresAt!) - Date.parse(camel.conversation.createdAt)).toBeGreaterThan(2 * DAY_MS - 5_000);
    expect(Date.parse(camel.conversation.expiresAt!) - Date.parse(camel.conversation.createdAt)).toBeLessThan(2 * DAY_MS + 5_000);
    // Neither is public: a signed-out viewer gets the "not available" page.
    expect((await request.get(auto.shareUrl)).status()).toBe(404);
    expect((await request.get(camel.shareUrl)).status()).toBe(404);
  });

  test("creates a partial share that shows exactly the chosen messages", async ({ request, page, tokens }) => {
    const first = await startConversation(request, acmeSupport(tokens), "hello", { externalId: uniqueId("partial"), name: "Pat Partial" });
    const second = await expectSuccess<ChannelReply>(
      await postMessage(request, tokens.acme.supportBotId, tokens.acme.supportBot, { contact: { externalId: first.externalId }, text: "Can I get a refund?" }),
      201,
    );
    expect(second.conversationId).toBe(first.conversationId);
    const picked = [second.messages[1].id, first.messages[1].id];

    const created = await createShare(request, tokens.acme.personal, { conversationId: first.conversationId, shareType: "partial", messageIds: picked });

    expect(created.conversation.shareType).toBe("partial");
    expect([...created.conversation.messageIds].sort()).toEqual([...picked].sort());
    await page.goto(created.shareUrl);
    await expect(page.getByTestId("message")).toHaveCount(2);
    await expect(page.getByTestId("message").nth(0)).toContainText("Hi Pat Partial! I'm the Acme support bot.");
    await expect(page.getByTestId("message").nth(1)).toContainText("Refunds go back to your original payment method");
    // A fixed excerpt has no live stream: nothing (not even who took over, and when) streams from it.
    const events = await request.get(`${created.shareUrl}/events`);
    expect(events.status()).toBe(404);
    expect(await events.text()).toContain("This link is not available");
  });

  test("Idempotency-Key: a repeat replays the first answer byte for byte; the key with another body is 422", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const headers = { "Idempotency-Key": uniqueId("order-1042-share") };
    const api = shareApi(request, tokens.acme.personal);

    const first = await api.create({ conversationId, regenerate: true }, headers);
    const firstText = await first.text();
    const replay = await api.create({ regenerate: true, conversationId }, headers);
    const otherBody = await api.create({ conversationId, regenerate: true, customTitle: "Other" }, headers);
    // Keys belong to their token: another caller's same key is a new request.
    const otherCaller = await shareApi(request, tokens.acme.supportBot).create({ conversationId, regenerate: true }, headers);

    expect(first.status()).toBe(201);
    expect(replay.status()).toBe(201);
    expect(await replay.text()).toBe(firstText);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(replay.headers()["x-request-id"]).toBe(first.headers()["x-request-id"]);
    const error = await expectFailure(otherBody, 422, "unprocessable");
    expect(error.message).toMatch(/Idempotency-Key/);
    const created = JSON.parse(firstText) as { data: CreatedShare };
    const byOtherCaller = await expectSuccess<CreatedShare>(otherCaller, 201);
    expect(byOtherCaller.shareId).not.toBe(created.data.shareId);
    const shares = await listShares(request, tokens.acme.personal, conversationId);
    expect(shares.map((share) => share.shareId).sort()).toEqual([created.data.shareId, byOtherCaller.shareId].sort());

    const tooLong = await expectFailure(await api.create({ conversationId }, { "Idempotency-Key": "k".repeat(201) }), 400, "bad_request");
    expect(Object.keys(tooLong.details ?? {})).toEqual(["Idempotency-Key"]);
  });

  test("answers 400 naming the field for bad input, 413 for a huge body, and creates nothing", async ({ request, tokens }) => {
    const { conversationId, messages } = await startConversation(request, acmeSupport(tokens), "hello");
    const api = shareApi(request, tokens.acme.personal);
    const cases: [unknown, string][] = [
      ["{not json", "_"],
      [[conversationId], "_"],
      [{}, "conversationId"],
      [{ conversationId: 42 }, "conversationId"],
      [{ conversationId, colour: "red" }, "_"],
      [{ conversationId, shareType: "FULL" }, "shareType"],
      [{ conversationId, shareType: "partial" }, "messageIds"],
      [{ conversationId, messageIds: [messages[0].id] }, "messageIds"],
      [{ conversationId, visibility: "everyone" }, "visibility"],
      [{ conversationId, mode: "edit" }, "mode"],
      [{ conversationId, expires_in_days: 0 }, "expires_in_days"],
      [{ conversationId, expires_in_days: 366 }, "expires_in_days"],
      [{ conversationId, expires_in_days: 1.5 }, "expires_in_days"],
      [{ conversationId, expiresInDays: -1 }, "expiresInDays"],
      [{ conversationId, expires_in_days: 3, expiresInDays: 4 }, "expires_in_days"],
      [{ conversationId, customTitle: "x".repeat(201) }, "customTitle"],
      [{ conversationId, customDescription: "x".repeat(501) }, "customDescription"],
      [{ conversationId, mode: "auto" }, "expires_in_days"],
      [{ conversationId, allowContinuation: "yes" }, "allowContinuation"],
    ];

    for (const [body, field] of cases) {
      const error = await expectFailure(await api.create(body), 400, "bad_request");
      if (body === "{not json") expect(error.message).toBe("Body must be JSON");
      else expect(Object.keys(error.details ?? {}), JSON.stringify(body)).toContain(field);
    }
    await expectFailure(await api.create({ conversationId, customDescription: "x".repeat(300 * 1024) }), 413, "payload_too_large");
    expect(await listShares(request, tokens.acme.personal, conversationId)).toEqual([]);
  });

  test("answers 401 without a valid token", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const body = { conversationId };

    const missing = await expectFailure(await shareApi(request, null).create(body), 401, "unauthorized");
    const unknown = await expectFailure(await shareApi(request, `sb_pat_${"a".repeat(32)}`).create(body), 401, "unauthorized");
    const malformed = await expectFailure(await shareApi(request, "not-a-token").create(body), 401, "unauthorized");

    expect(missing.message).toMatch(/Missing API token/);
    expect(unknown.message).toBe("Invalid API token.");
    expect(malformed.message).toMatch(/Malformed API token/);
    expect(await listShares(request, tokens.acme.personal, conversationId)).toEqual([]);
  });

  test("answers 404 for another organization's, another bot's and an unknown conversation, alike", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const unknownId = "00000000-0000-4000-8000-000000000000";

    const unknown = await expectFailure(await shareApi(request, tokens.acme.personal).create({ conversationId: unknownId }), 404, "not_found");
    const errors = [
      await expectFailure(await shareApi(request, tokens.globex.personal).create({ conversationId }), 404, "not_found"),
      await expectFailure(await shareApi(request, tokens.globex.bot).create({ conversationId }), 404, "not_found"),
      await expectFailure(await shareApi(request, tokens.acme.billingBot).create({ conversationId }), 404, "not_found"),
    ];

    for (const error of errors) expect(error).toEqual(unknown);
    expect(await listShares(request, tokens.acme.personal, conversationId)).toEqual([]);
  });

  test("answers 422 for message ids of another conversation and creates nothing", async ({ request, tokens }) => {
    const { conversationId, messages } = await startConversation(request, acmeSupport(tokens), "hello");
    const elsewhere = await startConversation(request, acmeSupport(tokens), "hello");

    const error = await expectFailure(
      await shareApi(request, tokens.acme.personal).create({
        conversationId,
        shareType: "partial",
        messageIds: [messages[0].id, elsewhere.messages[0].id],
      }),
      422,
      "unprocessable",
    );

    expect(Object.keys(error.details ?? {})).toContain("messageIds");
    expect(await listShares(request, tokens.acme.personal, conversationId)).toEqual([]);
  });
});

// --- GET /api/v1/share?conversationId=… and GET /api/v1/share/<shareId> -------------------------

test.describe("reading shares", () => {
  test("GET /api/v1/share?conversationId lists every share of the conversation, newest first, revoked ones too", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const older = await createShare(request, tokens.acme.personal, { conversationId });
    const newer = await createShare(request, tokens.acme.personal, { conversationId, regenerate: true });
    await expectSuccess(await shareApi(request, tokens.acme.personal).revoke(older.shareId), 200);

    const shares = await listShares(request, tokens.acme.personal, conversationId);
    const byBot = await listShares(request, tokens.acme.supportBot, conversationId);

    shares.forEach(expectShareShape);
    expect(shares.map((share) => [share.shareId, share.status])).toEqual([
      [newer.shareId, "active"],
      [older.shareId, "revoked"],
    ]);
    expect(byBot).toEqual(shares);
  });

  test("GET /api/v1/share answers 400, 401 and 404 like the other endpoints", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");

    // Without conversationId it lists every share the token manages; a cursor it did not make is a 400.
    const malformed = await expectFailure(
      await request.get("/api/v1/share", { headers: bearer(tokens.acme.personal), params: { cursor: "not-a-cursor" } }),
      400,
      "bad_request",
    );
    expect(Object.keys(malformed.details ?? {})).toEqual(["cursor"]);
    await expectFailure(await shareApi(request, null).list(conversationId), 401, "unauthorized");
    await expectFailure(await shareApi(request, UNKNOWN_BOT_TOKEN).list(conversationId), 401, "unauthorized");
    await expectFailure(await shareApi(request, tokens.globex.personal).list(conversationId), 404, "not_found");
    await expectFailure(await shareApi(request, tokens.acme.billingBot).list(conversationId), 404, "not_found");
  });

  test("GET /api/v1/share/<shareId> has live values: a view in a browser counts, a plain GET of the link does not", async ({ request, browser, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "Count my views");
    const created = await createShare(request, tokens.acme.personal, { conversationId });

    // A link unfurler or mail scanner only GETs the page: nothing changes (PRODUCT.md §7).
    expect((await request.get(created.shareUrl)).status()).toBe(200);
    const unviewed = await readShare(request, tokens.acme.personal, created.shareId);
    expect(unviewed).toEqual(created.conversation);

    const viewer = await browser.newContext();
    const page = await viewer.newPage();
    await page.goto(created.shareUrl);
    await expect(page.getByRole("heading", { name: "Count my views" })).toBeVisible();
    await expect.poll(async () => (await readShare(request, tokens.acme.personal, created.shareId)).viewCount).toBe(1);
    const viewed = await readShare(request, tokens.acme.personal, created.shareId);
    expect(viewed.lastViewedAt).toMatch(ISO);
    expect(Date.parse(viewed.lastViewedAt!)).toBeGreaterThanOrEqual(Date.parse(created.conversation.createdAt));

    await page.reload();
    await expect.poll(async () => (await readShare(request, tokens.acme.personal, created.shareId)).viewCount).toBe(2);
    const again = await readShare(request, tokens.acme.personal, created.shareId);
    expect(Date.parse(again.lastViewedAt!)).toBeGreaterThanOrEqual(Date.parse(viewed.lastViewedAt!));
    expect(again).toMatchObject({ status: "active", revokedAt: null, continuationCount: 0 });
    // The bot token that owns the conversation reads the same live values.
    expect(await readShare(request, tokens.acme.supportBot, created.shareId)).toEqual(again);
    await viewer.close();
  });

  test("GET /api/v1/share/<shareId> answers 400, 401 and 404 (another organization's share is 404, not 403)", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const created = await createShare(request, tokens.acme.personal, { conversationId });

    const unknown = await expectFailure(await shareApi(request, tokens.acme.personal).get("A".repeat(32)), 404, "not_found");
    expect(await expectFailure(await shareApi(request, tokens.globex.personal).get(created.shareId), 404, "not_found")).toEqual(unknown);
    expect(await expectFailure(await shareApi(request, tokens.globex.bot).get(created.shareId), 404, "not_found")).toEqual(unknown);
    expect(await expectFailure(await shareApi(request, tokens.acme.billingBot).get(created.shareId), 404, "not_found")).toEqual(unknown);
    await expectFailure(await shareApi(request, tokens.acme.personal).get("short"), 400, "bad_request");
    await expectFailure(await shareApi(request, null).get(created.shareId), 401, "unauthorized");
  });
});

// --- PATCH and DELETE /api/v1/share/<shareId> ---------------------------------------------------

test.describe("changing and revoking shares", () => {
  test("PATCH changes the given settings in place, keeps the others, and the page follows", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const created = await createShare(request, tokens.acme.personal, { conversationId, customTitle: "Before", allowContinuation: true });
    const api = shareApi(request, tokens.acme.personal);

    const hidden = await expectSuccess<ShareDto>(await api.update(created.shareId, { visibility: "organization", expires_in_days: 3 }), 200);

    expectShareShape(hidden);
    expect(hidden).toMatchObject({
      id: created.conversation.id,
      shareId: created.shareId,
      visibility: "organization",
      customTitle: "Before",
      allowContinuation: true,
      status: "active",
    });
    expect(Date.parse(hidden.expiresAt!)).toBeGreaterThan(Date.now() + 3 * DAY_MS - 60_000);
    expect(Date.parse(hidden.expiresAt!)).toBeLessThan(Date.now() + 3 * DAY_MS + 60_000);
    expect(Date.parse(hidden.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.conversation.updatedAt));
    expect(await readShare(request, tokens.acme.personal, created.shareId)).toEqual(hidden);
    expect((await request.get(created.shareUrl)).status()).toBe(404);

    const renamed = await expectSuccess<ShareDto>(
      await api.update(created.shareId, { visibility: "public", customTitle: "After", expiresInDays: null }),
      200,
    );
    expect(renamed).toMatchObject({ visibility: "public", customTitle: "After", expiresAt: null, allowContinuation: true });
    const page = await request.get(created.shareUrl);
    expect(page.status()).toBe(200);
    expect(await page.text()).toContain("After");
  });

  test("PATCH answers 400, 401, 404, 409 and 422 and changes nothing", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const elsewhere = await startConversation(request, acmeSupport(tokens), "hello");
    const created = await createShare(request, tokens.acme.personal, { conversationId, customTitle: "Unchanged" });
    const revoked = await createShare(request, tokens.acme.personal, { conversationId, regenerate: true });
    const api = shareApi(request, tokens.acme.personal);
    await expectSuccess(await api.revoke(revoked.shareId), 200);
    const change = { visibility: "private" };

    await expectFailure(await api.update(created.shareId, {}), 400, "bad_request");
    await expectFailure(await api.update(created.shareId, "["), 400, "bad_request");
    await expectFailure(await api.update(created.shareId, { conversationId }), 400, "bad_request");
    await expectFailure(await api.update(created.shareId, { mode: "auto" }), 400, "bad_request");
    await expectFailure(await api.update(created.shareId, { customTitle: "x".repeat(201) }), 400, "bad_request");
    await expectFailure(await api.update("short", change), 400, "bad_request");
    await expectFailure(await shareApi(request, null).update(created.shareId, change), 401, "unauthorized");
    await expectFailure(await shareApi(request, tokens.globex.personal).update(created.shareId, change), 404, "not_found");
    await expectFailure(await shareApi(request, tokens.acme.billingBot).update(created.shareId, change), 404, "not_found");
    const conflict = await expectFailure(await api.update(revoked.shareId, change), 409, "conflict");
    expect(conflict.message).toMatch(/revoked/);
    const wrongMessages = await expectFailure(
      await api.update(created.shareId, { shareType: "partial", messageIds: [elsewhere.messages[0].id] }),
      422,
      "unprocessable",
    );
    expect(Object.keys(wrongMessages.details ?? {})).toContain("messageIds");

    expect(await readShare(request, tokens.acme.personal, created.shareId)).toEqual(created.conversation);
    expect(await readShare(request, tokens.acme.personal, revoked.shareId)).toMatchObject({ status: "revoked", visibility: "public" });
  });

  test("DELETE revokes: status revoked with revokedAt, the link answers 404, a second DELETE changes nothing", async ({ request, page, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const created = await createShare(request, tokens.acme.personal, { conversationId });
    const api = shareApi(request, tokens.acme.personal);
    expect((await request.get(created.shareUrl)).status()).toBe(200);
    const before = Date.now();

    const revoked = await expectSuccess<ShareDto>(await api.revoke(created.shareId), 200);

    expectShareShape(revoked);
    expect(revoked).toMatchObject({ id: created.conversation.id, shareId: created.shareId, status: "revoked" });
    expect(Date.parse(revoked.revokedAt!)).toBeGreaterThanOrEqual(before - 2_000);
    expect(Date.parse(revoked.revokedAt!)).toBeLessThanOrEqual(Date.now() + 2_000);
    expect(await readShare(request, tokens.acme.personal, created.shareId)).toMatchObject({ status: "revoked", revokedAt: revoked.revokedAt });

    const link = await request.get(created.shareUrl);
    expect(link.status()).toBe(404);
    expect(await link.text()).toContain("This link is not available");
    const opened = await page.goto(created.shareUrl);
    expect(opened?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "This link is not available" })).toBeVisible();

    const again = await expectSuccess<ShareDto>(await api.revoke(created.shareId), 200);
    expect(again.revokedAt).toBe(revoked.revokedAt);
    // The same settings now mint a new link: a revoked id is never handed out again.
    const fresh = await createShare(request, tokens.acme.personal, { conversationId });
    expect(fresh.shareId).not.toBe(created.shareId);
  });

  test("DELETE answers 400, 401 and 404 (another organization's share) and leaves the share active", async ({ request, tokens }) => {
    const { conversationId } = await startConversation(request, acmeSupport(tokens), "hello");
    const created = await createShare(request, tokens.acme.personal, { conversationId });

    await expectFailure(await shareApi(request, tokens.acme.personal).revoke("short"), 400, "bad_request");
    await expectFailure(await shareApi(request, null).revoke(created.shareId), 401, "unauthorized");
    await expectFailure(await shareApi(request, tokens.globex.personal).revoke(created.shareId), 404, "not_found");
    await expectFailure(await shareApi(request, tokens.globex.bot).revoke(created.shareId), 404, "not_found");
    await expectFailure(await shareApi(request, tokens.acme.billingBot).revoke(created.shareId), 404, "not_found");

    expect(await readShare(request, tokens.acme.personal, created.shareId)).toMatchObject({ status: "active", revokedAt: null });
    expect((await request.get(created.shareUrl)).status()).toBe(200);
  });
});

// --- POST /api/v1/bots/<botId>/messages ---------------------------------------------------------

test.describe("POST /api/v1/bots/<botId>/messages", () => {
  test("first contact creates the contact and a conversation and answers with the bot's replies", async ({ request, tokens }) => {
    const externalId = uniqueId("+4915112345678");
    const before = Date.now();

    const first = await expectSuccess<ChannelReply>(
      await postMessage(request, tokens.acme.supportBotId, tokens.acme.supportBot, {
        contact: { externalId, name: "Ana Channel" },
        text: "My order arrived damaged",
        channel: "WhatsApp",
      }),
      201,
    );

    expect(Object.keys(first).sort()).toEqual(["conversationId", "messages"]);
    expect(typeof first.conversationId).toBe("string");
    for (const message of first.messages) {
      expect(message).toEqual({
        id: expect.any(String),
        seq: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
        role: expect.any(String),
        text: expect.any(String),
        html: expect.any(String),
        authorName: message.authorName === null ? null : expect.any(String),
        createdAt: expect.stringMatching(ISO),
        attachments: [],
      });
      expect(Date.parse(message.createdAt)).toBeGreaterThanOrEqual(before - 2_000);
    }
    expect(first.messages.map((message) => [message.role, message.text])).toEqual([
      ["CONTACT", "My order arrived damaged"],
      ["BOT", "I'm sorry about your order, Ana Channel."],
      ["BOT", "Please send your order number and, if something arrived damaged, a photo. We'll replace it or refund you."],
    ]);
    // Positions are opaque (a global count would leak other organizations' activity); time orders them.
    expect(new Set(first.messages.map((message) => message.seq)).size).toBe(first.messages.length);
    const times = first.messages.map((message) => message.createdAt);
    expect([...times].sort()).toEqual(times);

    // The next message joins the same conversation, with a file.
    const second = await expectSuccess<ChannelReply>(
      await postMessage(request, tokens.acme.supportBotId, tokens.acme.supportBot, {
        contact: { externalId },
        text: "Can I get a refund?",
        files: [{ fileName: "photo.txt", contentType: "text/plain", dataBase64: Buffer.from("crushed box").toString("base64") }],
      }),
      201,
    );
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.messages.map((message) => [message.role, message.text])).toEqual([
      ["CONTACT", "Can I get a refund?"],
      ["BOT", "Refunds go back to your original payment method within 5–7 business days of us receiving the item."],
    ]);
    expect(second.messages[0].attachments).toEqual([{ id: expect.any(String), fileName: "photo.txt", contentType: "text/plain", size: 11 }]);

    // The conversation is the organization's (and shareable by id), and its contact is addressable by external id.
    expect(await listShares(request, tokens.acme.personal, first.conversationId)).toEqual([]);
    expect((await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1")).status()).toBe(200);
    const [share] = await listShares(request, tokens.acme.personal, first.conversationId);
    const page = await request.get(`/share/${share.shareId}`);
    expect(await page.text()).toContain("photo.txt");
  });

  test("answers 401 for a missing or wrong token and 404 for another bot's, another organization's or a personal token", async ({ request, tokens }) => {
    const externalId = uniqueId("never-written");
    const message = { contact: { externalId }, text: "hello" };
    const { supportBotId } = tokens.acme;

    await expectFailure(await postMessage(request, supportBotId, null, message), 401, "unauthorized");
    await expectFailure(await postMessage(request, supportBotId, UNKNOWN_BOT_TOKEN, message), 401, "unauthorized");
    await expectFailure(await postMessage(request, supportBotId, "sb_bot_short", message), 401, "unauthorized");
    const unknownBot = await expectFailure(await postMessage(request, "no-such-bot", tokens.acme.supportBot, message), 404, "not_found");
    for (const token of [tokens.acme.billingBot, tokens.globex.bot, tokens.acme.personal]) {
      expect(await expectFailure(await postMessage(request, supportBotId, token, message), 404, "not_found")).toEqual(unknownBot);
    }

    // Nothing was written: the contact has no conversation.
    await expectPeoplesError(await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1"), 404);
  });

  test("answers 400 for a bad body and 422 for an undecodable file, writing nothing", async ({ request, tokens }) => {
    const externalId = uniqueId("never-written");
    const bad: [unknown, string][] = [
      ["not json", "_"],
      [{}, "contact"],
      [{ contact: { externalId: "" }, text: "hi" }, "contact.externalId"],
      [{ contact: { externalId }, text: "   " }, "text"],
      [{ contact: { externalId } }, "text"],
      [{ contact: { externalId }, text: "a".repeat(4001) }, "text"],
      [{ contact: { externalId }, text: "hi", channel: "web" }, "channel"],
      [{ contact: { externalId }, text: "hi", channel: "what's app" }, "channel"],
    ];

    for (const [body, field] of bad) {
      const error = await expectFailure(await postMessage(request, tokens.acme.supportBotId, tokens.acme.supportBot, body), 400, "bad_request");
      if (body === "not json") expect(error.message).toBe("Body must be JSON");
      else expect(Object.keys(error.details ?? {}), JSON.stringify(body).slice(0, 80)).toContain(field);
    }
    const undecodable = await expectFailure(
      await postMessage(request, tokens.acme.supportBotId, tokens.acme.supportBot, {
        contact: { externalId },
        files: [{ fileName: "a.bin", dataBase64: "***" }],
      }),
      422,
      "unprocessable",
    );
    expect(undecodable.message).toMatch(/base64/);

    await expectPeoplesError(await peoplesShare(request, tokens.acme.supportBot, "view", externalId, "1"), 404);
  });
});

// --- Tokens revoked in the UI -------------------------------------------------------------------

test("a bot token and a personal token revoked in the UI get 401 from every endpoint, and nothing changes", async ({ browser, request, tokens }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botTokenName = uniqueId("Revoked bridge");
  const personalTokenName = uniqueId("Revoked script");
  await owner.goto(`/bots/${tokens.acme.supportBotId}`);
  const botToken = await createApiToken(owner, botTokenName);
  await owner.goto("/settings/tokens");
  const personalToken = await createApiToken(owner, personalTokenName);
  expect(botToken).toMatch(/^sb_bot_[0-9A-Za-z]{32}$/);
  expect(personalToken).toMatch(/^sb_pat_[0-9A-Za-z]{32}$/);

  // Both work until they are revoked.
  const bot = { botId: tokens.acme.supportBotId, token: botToken };
  const { conversationId, externalId } = await startConversation(request, bot, "hello");
  const created = await createShare(request, personalToken, { conversationId });
  expect((await peoplesShare(request, botToken, "view", externalId, "1")).status()).toBe(200);
  await revokeApiToken(owner, personalTokenName);
  await owner.goto(`/bots/${tokens.acme.supportBotId}`);
  await revokeApiToken(owner, botTokenName);
  await owner.context().close();

  const revoked = "This API token has been revoked.";
  expect(await expectPeoplesError(await peoplesShare(request, botToken, "view", externalId, "2"), 401)).toBe(revoked);
  const message = { contact: { externalId }, text: "hello again" };
  expect((await expectFailure(await postMessage(request, bot.botId, botToken, message), 401, "unauthorized")).message).toBe(revoked);
  for (const token of [botToken, personalToken]) {
    const api = shareApi(request, token);
    const answers = [
      await api.create({ conversationId, regenerate: true }),
      await api.list(conversationId),
      await api.get(created.shareId),
      await api.update(created.shareId, { customTitle: "Changed" }),
      await api.revoke(created.shareId),
    ];
    for (const answer of answers) expect((await expectFailure(answer, 401, "unauthorized")).message).toBe(revoked);
  }

  const shares = await listShares(request, tokens.acme.personal, conversationId);
  expect(shares).toHaveLength(2);
  expect(shares.map((share) => share.status)).toEqual(["active", "active"]);
  expect(shares.find((share) => share.shareId === created.shareId)?.customTitle).toBeNull();
});

// --- GET /api/openapi.json ----------------------------------------------------------------------

test("GET /api/openapi.json is an OpenAPI 3.1 document of every endpoint and status, without a token", async ({ request, baseURL }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const document = (await response.json()) as {
    openapi: string;
    servers: { url: string }[];
    paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    components: { schemas: Record<string, { required?: string[] }> };
  };

  expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  expect(document.servers).toEqual([{ url: baseURL }]);
  const expected: Record<string, Record<string, string[]>> = {
    "/api/peoples/conversation/share/{mode}/{user_id}/{duration}": { get: ["200", "400", "401", "404"] },
    "/api/v1/share": { post: ["200", "201", "400", "401", "403", "404", "422"], get: ["200", "400", "401", "404"] },
    "/api/v1/share/{shareId}": {
      get: ["200", "401", "404"],
      patch: ["200", "400", "401", "403", "404", "409", "422"],
      delete: ["200", "401", "404"],
    },
    "/api/v1/bots/{botId}/messages": { post: ["201", "400", "401", "404", "409", "422"] },
    "/api/v1/conversations/{id}/export": { get: ["200", "400", "401", "404", "429"] },
    "/api/v1/conversations/export": { get: ["200", "400", "401", "404", "429"] },
  };
  expect(Object.keys(document.paths).sort()).toEqual(Object.keys(expected).sort());
  for (const [path, methods] of Object.entries(expected)) {
    expect(Object.keys(document.paths[path]).sort(), path).toEqual(Object.keys(methods).sort());
    for (const [method, statuses] of Object.entries(methods)) {
      const operation = document.paths[path][method];
      expect(operation.operationId, `${method} ${path}`).toMatch(/^\w+$/);
      expect(Object.keys(operation.responses), `${method} ${path}`).toEqual(expect.arrayContaining(statuses));
    }
  }
  expect(document.components.schemas.Share.required?.sort()).toEqual(
    [
      "id", "shareId", "userId", "createdBy", "conversationId", "shareType", "visibility", "mode", "allowContinuation",
      "viewCount", "continuationCount", "createdAt", "updatedAt", "status", "messageIds", "customTitle",
      "customDescription", "lastViewedAt", "expiresAt", "revokedAt",
    ].sort(),
  );
});
