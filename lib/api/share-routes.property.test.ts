/**
 * Malformed requests of every kind, generated: each one must get a 4xx JSON envelope with
 * success false (never a 5xx) and leave the database exactly as it was.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCreateShareBody, parseUpdateShareBody } from "@/lib/api/share-schemas";
import { prisma } from "@/lib/db";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { SHARE_PUBLIC_ID_PATTERN } from "@/lib/shares/public-id";
import { createConversation } from "@/lib/testing/fixtures";
import { apiOrganization, memberWithToken, shareApi, shareTableCounts } from "@/lib/testing/share-api";
import { createPersonalTokenUnchecked, revokeTokenByPrefixUnchecked } from "@/lib/tokens/mutations";

const NUM_RUNS = 200;

type World = Awaited<ReturnType<typeof buildWorld>>;
let world: World;

/** One organization for every run: its owner's, a viewer's, a revoked and a stranger's token, and shares. */
async function buildWorld() {
  const org = await apiOrganization();
  const viewer = await memberWithToken(org.organization.id, "VIEWER");
  const revokedToken = (await createPersonalTokenUnchecked(org.owner.email)).token;
  await revokeTokenByPrefixUnchecked(revokedToken.slice(0, 12));
  const stranger = await apiOrganization();
  const { share: active } = await createShare(org.owner.actor, { conversationId: org.conversation.id, settings: {} });
  const { share: revoked } = await createShare(org.owner.actor, { conversationId: org.conversation.id, regenerate: true, settings: {} });
  await revokeShare(org.owner.actor, { shareId: revoked.id });
  const { share: foreign } = await createShare(stranger.owner.actor, { conversationId: stranger.conversation.id, settings: {} });
  const { messageIds: otherMessages } = await createConversation(org.bot.id);
  return { org, viewer, revokedToken, stranger, active, revoked, foreign, otherMessages };
}

beforeAll(async () => {
  world = await buildWorld();
});

// --- Arbitraries ---------------------------------------------------------------------------------

const ascii = (constraints: { minLength?: number; maxLength?: number } = {}) => fc.string({ maxLength: 40, ...constraints });
const text = fc.string({ unit: "grapheme", maxLength: 40 });
const secret = fc.stringMatching(/^[0-9A-Za-z]{32}$/);

/** Tokens that must not get in: missing, garbage, well-formed but unknown, revoked, another organization's. */
const badToken = () =>
  fc.oneof(
    fc.constant(null),
    ascii({ maxLength: 60 }),
    secret.map((s) => `sb_pat_${s}`),
    secret.map((s) => `sb_bot_${s}`),
    secret.map((s) => `sb_xyz_${s}`),
    fc.constant(world.revokedToken),
    fc.constant(world.stranger.ownerToken),
    fc.constant(world.stranger.botToken),
  );

const optionalKey = fc.option(ascii({ minLength: 1, maxLength: 60 }).map((key) => ({ "idempotency-key": `k-${key}` })), { nil: undefined });
const badKey = fc.oneof(fc.constant(""), fc.constant("   "), ascii({ minLength: 201, maxLength: 240 })).map((key) => ({ "idempotency-key": key }));

/** Not JSON at all, or JSON that is not an object. */
const notAnObject = fc.oneof(
  fc.constantFrom("", "{", "{\"conversationId\":", "[1,2", "null", "nul", "'single'", "{conversationId: 1}"),
  text,
  fc.jsonValue({ maxDepth: 2 }).filter((value) => value === null || typeof value !== "object" || Array.isArray(value)).map((value) => JSON.stringify(value)),
);

const SETTING_KEYS = [
  "shareType", "messageIds", "visibility", "allowContinuation", "expires_in_days", "expiresInDays",
  "customTitle", "customDescription", "mode", "takeOverOnOpen",
] as const;
const STRANGE_KEYS = ["colour", "ConversationId", "expires-in-days", "share_type", "", "ü", "constructor", "toString"];

/** Any value, biased toward almost-right ones: enum-like words, edge numbers, long and unicode strings. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("full", "partial", "FULL", "view", "takeover", "auto", "public", "private", "organization", "Public", "true", "7"),
  fc.integer({ min: -2, max: 400 }),
  fc.double({ noNaN: true }),
  fc.string({ unit: "grapheme", minLength: 190, maxLength: 520 }),
  fc.array(text, { maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
);

const validSettings = fc.record(
  {
    shareType: fc.constantFrom("full", "partial"),
    visibility: fc.constantFrom("public", "private", "organization"),
    allowContinuation: fc.boolean(),
    expires_in_days: fc.integer({ min: 1, max: 365 }),
    customTitle: text,
    mode: fc.constantFrom("view", "takeover", "auto"),
  },
  { requiredKeys: [] },
);

function rejects(parse: (body: unknown) => unknown, body: unknown): boolean {
  try {
    parse(body);
    return false;
  } catch {
    return true;
  }
}

/** A create body that is wrong somewhere: a field's type or range, an unknown key, a missing id. */
const malformedCreateBody = () =>
  fc
    .record({
      settings: validSettings,
      overrides: fc.dictionary(fc.constantFrom("conversationId", "regenerate", ...SETTING_KEYS, ...STRANGE_KEYS), anyValue, { minKeys: 0, maxKeys: 3 }),
      dropId: fc.boolean(),
    })
    .map(({ settings, overrides, dropId }) => {
      const body: Record<string, unknown> = { conversationId: world.org.conversation.id, ...settings, ...overrides };
      if (dropId) delete body.conversationId;
      return body;
    })
    .filter((body) => rejects(parseCreateShareBody, body));

const validCreateBody = () =>
  validSettings.map((settings) => ({ conversationId: world.org.conversation.id, ...settings }));

const malformedPatchBody = () =>
  fc
    .dictionary(fc.constantFrom(...SETTING_KEYS, ...STRANGE_KEYS, "conversationId", "regenerate"), anyValue, { maxKeys: 3 })
    .filter((body) => rejects(parseUpdateShareBody, body));

const validPatchBody = () => validSettings.filter((body) => Object.keys(body).length > 0);

const malformedShareId = fc.oneof(fc.string({ unit: "grapheme", maxLength: 70 }), fc.string({ minLength: 65, maxLength: 90 })).filter(
  (id) => !SHARE_PUBLIC_ID_PATTERN.test(id),
);
const unknownShareId = fc.stringMatching(/^[A-Za-z0-9_-]{22,64}$/);

/** Share ids the owner cannot act on: malformed, unknown, another organization's. */
const unreachableShareId = () => fc.oneof(malformedShareId, unknownShareId, fc.constant(world.foreign.publicId));

// --- The property --------------------------------------------------------------------------------

async function expectRejected(response: Response) {
  const status = response.status;
  const body = await response.text();
  expect(status, body).toBeGreaterThanOrEqual(400);
  expect(status, body).toBeLessThan(500);
  expect(response.headers.get("content-type")).toContain("application/json");
  const envelope = JSON.parse(body) as Record<string, unknown>;
  expect(envelope).toMatchObject({
    success: false,
    error: { code: expect.any(String), message: expect.stringMatching(/\S/) },
    meta: { timestamp: expect.any(String), requestId: expect.any(String) },
  });
}

async function checkEveryRequestIsRejected<T>(requests: fc.Arbitrary<T>, send: (request: T) => Promise<Response>) {
  const organizations = [world.org.organization.id, world.stranger.organization.id];
  const before = await shareTableCounts(organizations);
  await fc.assert(
    fc.asyncProperty(requests, async (request) => {
      await expectRejected(await send(request));
      expect(await shareTableCounts(organizations)).toEqual(before);
    }),
    { numRuns: NUM_RUNS },
  );
  expect(await prisma.share.findUniqueOrThrow({ where: { id: world.active.id } })).toMatchObject({
    revokedAt: null,
    visibility: "PUBLIC",
    mode: "VIEW",
  });
}

describe("malformed requests are rejected with a 4xx envelope and change nothing", () => {
  it("POST /api/v1/share", async () => {
    const owner = () => fc.constant(world.org.ownerToken);
    await checkEveryRequestIsRejected(
      fc.oneof(
        fc.record({ token: badToken(), body: fc.oneof(validCreateBody(), malformedCreateBody()), headers: optionalKey }),
        fc.record({ token: owner(), body: malformedCreateBody(), headers: optionalKey }),
        fc.record({ token: owner(), body: notAnObject, headers: optionalKey }),
        fc.record({ token: owner(), body: validCreateBody(), headers: badKey }),
        fc.record({ token: fc.constant(world.viewer.token), body: validCreateBody(), headers: optionalKey }),
        fc.record({
          token: owner(),
          body: fc.oneof(fc.constant(world.stranger.conversation.id), fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 })).map((conversationId) => ({ conversationId })),
          headers: optionalKey,
        }),
        fc.record({
          token: owner(),
          body: fc
            .array(fc.oneof(fc.constant(world.otherMessages[0]!), fc.string({ minLength: 1, maxLength: 64 })), { minLength: 1, maxLength: 3 })
            .map((messageIds) => ({ conversationId: world.org.conversation.id, shareType: "partial", messageIds })),
          headers: optionalKey,
        }),
      ),
      ({ token, body, headers }) => shareApi.create({ token, body, headers }),
    );
  });

  it("GET /api/v1/share", async () => {
    await checkEveryRequestIsRejected(
      fc.oneof(
        fc.record({ token: badToken(), conversationId: fc.constant<string | null>(world.org.conversation.id) }),
        fc.record({
          token: fc.constant(world.org.ownerToken),
          conversationId: fc.oneof(fc.constant(world.stranger.conversation.id), fc.string({ unit: "grapheme", maxLength: 80 })),
        }),
        fc.record({ token: fc.constant(world.viewer.token), conversationId: fc.constant<string | null>(world.org.conversation.id) }),
        // Without conversationId it is a list of the token's shares: only a cursor it did not make is refused.
        fc.record({ token: fc.constant(world.org.ownerToken), conversationId: fc.constant(null), cursor: fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }) }),
      ),
      ({ token, conversationId, cursor }: { token: string | null; conversationId: string | null; cursor?: string }) =>
        cursor === undefined ? shareApi.list(conversationId, { token }) : shareApi.listPage({ cursor }, { token }),
    );
  });

  it("GET /api/v1/share/{shareId}", async () => {
    await checkEveryRequestIsRejected(
      fc.oneof(
        fc.record({ token: badToken(), shareId: fc.constant(world.active.publicId) }),
        fc.record({ token: fc.constant(world.org.ownerToken), shareId: unreachableShareId() }),
        fc.record({ token: fc.constant(world.viewer.token), shareId: fc.constant(world.active.publicId) }),
      ),
      ({ token, shareId }) => shareApi.get(shareId, { token }),
    );
  });

  it("PATCH /api/v1/share/{shareId}", async () => {
    const owner = () => fc.constant(world.org.ownerToken);
    const active = () => fc.constant(world.active.publicId);
    await checkEveryRequestIsRejected(
      fc.oneof(
        fc.record({ token: badToken(), shareId: active(), body: validPatchBody() }),
        fc.record({ token: owner(), shareId: active(), body: malformedPatchBody() }),
        fc.record({ token: owner(), shareId: active(), body: notAnObject }),
        fc.record({ token: owner(), shareId: fc.oneof(unreachableShareId(), fc.constant(world.revoked.publicId)), body: validPatchBody() }),
        fc.record({ token: fc.constant(world.viewer.token), shareId: active(), body: validPatchBody() }),
        fc.record({
          token: owner(),
          shareId: active(),
          body: fc.array(fc.string({ minLength: 1, maxLength: 64 }), { minLength: 1, maxLength: 3 }).map((messageIds) => ({ shareType: "partial", messageIds })),
        }),
      ),
      ({ token, shareId, body }) => shareApi.update(shareId, { token, body }),
    );
  });

  it("DELETE /api/v1/share/{shareId}", async () => {
    await checkEveryRequestIsRejected(
      fc.oneof(
        fc.record({ token: badToken(), shareId: fc.constant(world.active.publicId) }),
        fc.record({ token: fc.constant(world.org.ownerToken), shareId: unreachableShareId() }),
        fc.record({ token: fc.constant(world.viewer.token), shareId: fc.constant(world.active.publicId) }),
      ),
      ({ token, shareId }) => shareApi.revoke(shareId, { token }),
    );
  });
});
