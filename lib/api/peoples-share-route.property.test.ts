/**
 * The compatible share endpoint under generated malformed requests: bad modes, durations, user ids
 * and tokens, alone and together. Each must get a 4xx `{"error": "<message>"}` (never a 5xx) and
 * leave the database exactly as it was; a request with a single fault gets the status PRODUCT.md
 * §5.1 gives it.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/peoples/conversation/share/[mode]/[userId]/[duration]/route";
import { prisma } from "@/lib/db";
import { MAX_VALIDITY_HOURS } from "@/lib/shares/schemas";
import { bearer, deadTokenAuthorization, expectJsonRejection, malformedAuthorization } from "@/lib/testing/api-arbitraries";
import { createConversation } from "@/lib/testing/fixtures";
import { apiOrganization } from "@/lib/testing/share-api";
import { organizationRowCounts } from "@/lib/testing/side-effects";
import { createBotTokenUnchecked, revokeTokenByPrefixUnchecked } from "@/lib/tokens/mutations";

const NUM_RUNS = 250;

type World = Awaited<ReturnType<typeof buildWorld>>;
let world: World;

/**
 * A bot with a contact and its conversation, the bot's valid and revoked tokens, a second bot of
 * the same organization and a bot of another organization, each with a contact of its own, and a
 * contact without a conversation.
 */
async function buildWorld() {
  const org = await apiOrganization();
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id: org.conversation.contactId } });
  const revokedToken = (await createBotTokenUnchecked(org.bot.id)).token;
  await revokeTokenByPrefixUnchecked(revokedToken.slice(0, 12));
  const lonely = await prisma.contact.create({ data: { botId: org.bot.id, externalId: `lonely-${org.bot.id}`, name: "Lonely" } });

  const siblingBot = await prisma.bot.create({ data: { organizationId: org.organization.id, name: `Sibling of ${org.bot.name}` } });
  const sibling = { bot: siblingBot, ...(await createConversation(siblingBot.id)), token: (await createBotTokenUnchecked(siblingBot.id)).token };

  const stranger = await apiOrganization();
  const strangerContact = await prisma.contact.findUniqueOrThrow({ where: { id: stranger.conversation.contactId } });
  return { org, contact, revokedToken, lonely, sibling, stranger, strangerContact };
}

beforeAll(async () => {
  world = await buildWorld();
});

function call({ mode, userId, duration, authorization }: ShareRequest): Promise<Response> {
  const path = `/api/peoples/conversation/share/${encodeURIComponent(mode)}/${encodeURIComponent(userId)}/${encodeURIComponent(duration)}`;
  const request = new Request(`http://localhost${path}`, { headers: authorization === null ? {} : { authorization } });
  return GET(request, { params: Promise.resolve({ mode, userId, duration }) });
}

// --- Arbitraries ---------------------------------------------------------------------------------

type ShareRequest = { mode: string; userId: string; duration: string; authorization: string | null };
/** A request and, when it has exactly one fault, the status that fault must get. */
type Case = { request: ShareRequest; status: 400 | 401 | 404 | null };

const MODES = ["view", "takeover", "auto"];
const isValidMode = (mode: string) => MODES.includes(mode.toLowerCase());
/** What the contract allows: whole hours written in ASCII digits, 1 to 87600. */
const isValidDuration = (duration: string) => /^[0-9]+$/.test(duration) && Number(duration) >= 1 && Number(duration) <= MAX_VALIDITY_HOURS;

const goodMode = fc.constantFrom("view", "takeover", "auto", "VIEW", "TakeOver", "Auto");
const badMode = fc
  .oneof(
    fc.constantFrom("", "edit", "views", "vie", " view", "view ", "view\u0000", "vıew", "ｖｉｅｗ", "take over", "take_over", "auto/1", "view?x=1", "null", "0", "true"),
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ minLength: 200, maxLength: 2000 }),
  )
  .filter((mode) => !isValidMode(mode));

const goodDuration = fc.integer({ min: 1, max: MAX_VALIDITY_HOURS }).map(String);
const badDuration = fc
  .oneof(
    fc.constantFrom("", "0", "00", "000000", "-0", "-1", "-24", "+24", " 24", "24 ", "1.5", "0.5", "24.0", "1e3", "1e309", "Infinity", "NaN", "0x18", "24h", "87601", "100000", "999999", "1000000"),
    // Digits of other scripts: fullwidth, Arabic-Indic, Devanagari, mathematical bold.
    fc.constantFrom("２４", "٢٤", "२४", "𝟐𝟒", "²⁴", "2４"),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }).map(String),
    fc.integer({ min: MAX_VALIDITY_HOURS + 1, max: Number.MAX_SAFE_INTEGER }).map(String),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)).map(String),
    fc.stringMatching(/^[0-9]{7,400}$/),
    fc.string({ unit: "grapheme", maxLength: 30 }),
  )
  .filter((duration) => !isValidDuration(duration));

/** Not a user id at all: empty, longer than the 200 characters a contact id may have, or with a NUL (from %00). */
const malformedUserId = fc.oneof(
  fc.constantFrom("", "\u0000", "contact-\u0000", "\u0000contact"),
  fc.string({ minLength: 201, maxLength: 400 }),
  fc.string({ unit: "grapheme", minLength: 201, maxLength: 260 }).filter((id) => id.length > 200),
  fc.integer({ min: 201, max: 20_000 }).map((length) => "9".repeat(length)),
);
/** A well-formed user id with no conversation on the caller's bot. */
const unknownUserId = () =>
  fc
    .oneof(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 60 }),
      fc.constantFrom(
        world.lonely.externalId,
        world.sibling.contact.externalId,
        world.strangerContact.externalId,
        world.contact.externalId.toUpperCase(),
        ` ${world.contact.externalId}`,
        `${world.contact.externalId} `,
        `${world.contact.externalId}\u200b`,
        encodeURIComponent(`${world.contact.externalId}/`),
        world.contact.id,
        world.org.conversation.id,
      ),
    )
    .filter((id) => id.length <= 200 && id !== world.contact.externalId);

/** Valid personal tokens, of the bot's organization's owner and of another organization's: this endpoint takes bot tokens only. */
const personalTokenHeader = () => fc.constantFrom(bearer(world.org.ownerToken), bearer(world.stranger.ownerToken));
const malformedHeader = () => malformedAuthorization(world.org.botToken);
const deadTokenHeader = () => deadTokenAuthorization(world.revokedToken);
const unauthorizedHeader = () => fc.oneof(malformedHeader(), deadTokenHeader(), personalTokenHeader());
/** Valid tokens of other bots: the contact is not theirs, so there is no conversation. */
const otherBotHeader = () => fc.constantFrom(bearer(world.sibling.token), bearer(world.stranger.botToken));

const faults = () => ({
  mode: badMode,
  duration: badDuration,
  userId: fc.oneof(malformedUserId, unknownUserId()),
  authorization: fc.oneof(unauthorizedHeader(), otherBotHeader()),
});

function valid(): { [K in keyof ShareRequest]: fc.Arbitrary<ShareRequest[K]> } {
  return { mode: goodMode, userId: fc.constant(world.contact.externalId), duration: goodDuration, authorization: fc.constant(bearer(world.org.botToken)) };
}

/** A valid request with one part replaced. */
const oneFault = <K extends keyof ShareRequest>(key: K, bad: fc.Arbitrary<ShareRequest[K]>, status: Case["status"]): fc.Arbitrary<Case> =>
  fc.record({ ...valid(), [key]: bad }).map((request) => ({ request: request as ShareRequest, status }));

/**
 * Each part valid or not, at least one not: the first check that fails decides the status. Two
 * faults may cancel out (another bot's token with that bot's own contact), so the user id must
 * not be a contact with a conversation on the token's bot.
 */
const severalFaults = (): fc.Arbitrary<Case> => {
  const bad = faults();
  const good = valid();
  const contactOfToken = new Map([
    [bearer(world.org.botToken), world.contact.externalId],
    [bearer(world.sibling.token), world.sibling.contact.externalId],
    [bearer(world.stranger.botToken), world.strangerContact.externalId],
  ]);
  return fc
    .record({
      mode: fc.oneof(good.mode, bad.mode),
      userId: fc.oneof(good.userId, bad.userId),
      duration: fc.oneof(good.duration, bad.duration),
      authorization: fc.oneof(good.authorization, bad.authorization),
    })
    .filter(
      (request) =>
        !isValidMode(request.mode) ||
        !isValidDuration(request.duration) ||
        request.authorization === null ||
        contactOfToken.get(request.authorization) !== request.userId,
    )
    .map((request) => ({ request, status: null }));
};

// --- The property --------------------------------------------------------------------------------

async function expectRejected(response: Response, expectedStatus: Case["status"], request: ShareRequest) {
  const { body, why } = await expectJsonRejection(response, expectedStatus, request);
  expect(Object.keys(body), why).toEqual(["error"]);
  expect(body.error, why).toEqual(expect.stringMatching(/\S/));
}

describe("GET /api/peoples/conversation/share/<mode>/<user_id>/<duration> with malformed requests", () => {
  it("answers every one with a 4xx {error} and changes nothing", async () => {
    const organizations = [world.org.organization.id, world.stranger.organization.id];
    const before = await organizationRowCounts(organizations);
    let counts = before;
    const conversationBefore = await prisma.conversation.findUniqueOrThrow({ where: { id: world.org.conversation.id } });
    const bad = faults();
    const statuses = new Set<number>();

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          oneFault("mode", bad.mode, 400),
          oneFault("duration", bad.duration, 400),
          oneFault("userId", malformedUserId, 400),
          oneFault("authorization", malformedHeader(), 401),
          oneFault("authorization", deadTokenHeader(), 401),
          oneFault("authorization", personalTokenHeader(), 401),
          oneFault("userId", unknownUserId(), 404),
          oneFault("authorization", otherBotHeader(), 404),
          severalFaults(),
        ),
        async ({ request, status }) => {
          const response = await call(request);
          statuses.add(response.status);
          // Counted before any assertion and against the counts after the previous request, so
          // what a request writes is blamed on that request, also while fast-check shrinks.
          const countsBefore = counts;
          counts = await organizationRowCounts(organizations);
          await expectRejected(response, status, request);
          expect(counts, "rows written").toEqual(countsBefore);
        },
      ),
      { numRuns: NUM_RUNS },
    );

    expect(await organizationRowCounts(organizations)).toEqual(before);
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: world.org.conversation.id } })).toEqual(conversationBefore);
    // The runs reached every check: parameters, token and the conversation lookup.
    expect([...statuses].sort()).toEqual([400, 401, 404]);
  });

  it("lets the same request through once its one fault is fixed, and the counts see the share it makes", async () => {
    const organizations = [world.org.organization.id];
    const before = await organizationRowCounts(organizations);

    const response = await call({ mode: "view", userId: world.contact.externalId, duration: "24", authorization: bearer(world.org.botToken) });

    expect(response.status).toBe(200);
    expect(Object.keys((await response.json()) as object)).toEqual(["Url"]);
    const after = await organizationRowCounts(organizations);
    expect(after.shares).toBe(before.shares + 1);
    expect(after).not.toEqual(before);
  });
});
