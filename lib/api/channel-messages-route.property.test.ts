/**
 * The channel API under generated malformed requests: bodies that are not JSON, of the wrong
 * shape, too long, with undecodable or oversized files; unknown bots; tokens that are missing,
 * dead, personal or another bot's. Each must get a 4xx v1 error envelope (never a 5xx), write no
 * row and no file; a request with a single fault gets the status its fault calls for.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/bots/[botId]/messages/route";
import { maxChannelBodyBytes } from "@/lib/channels/mutations";
import { channelMessageSchema } from "@/lib/channels/schemas";
import { MAX_CHAT_FILES, MAX_CHAT_TEXT } from "@/lib/chat/schemas";
import { prisma } from "@/lib/db";
import { bearer, deadTokenAuthorization, expectJsonRejection, malformedAuthorization } from "@/lib/testing/api-arbitraries";
import { createConversation } from "@/lib/testing/fixtures";
import { apiOrganization } from "@/lib/testing/share-api";
import { organizationRowCounts, recordStorageWrites } from "@/lib/testing/side-effects";
import { createBotTokenUnchecked, revokeTokenByPrefixUnchecked } from "@/lib/tokens/mutations";

const NUM_RUNS = 250;
/** Small enough that an oversized file or body costs little to build, in every run. */
const UPLOAD_LIMIT = 48 * 1024;
const FLOW = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Hi {{contact_name}}, noted." }] }] };

type World = Awaited<ReturnType<typeof buildWorld>>;
let world: World;
let storageWrites: ReturnType<typeof recordStorageWrites>;
const defaultUploadLimit = process.env.MAX_UPLOAD_BYTES;

/**
 * A bot that answers every message, with a contact and its conversation, the bot's valid and
 * revoked tokens, its owner's personal token, a second bot of the same organization and a bot of
 * another organization, each with its own token.
 */
async function buildWorld() {
  const org = await apiOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
  const contact = await prisma.contact.findUniqueOrThrow({ where: { id: org.conversation.contactId } });
  const revokedToken = (await createBotTokenUnchecked(org.bot.id)).token;
  await revokeTokenByPrefixUnchecked(revokedToken.slice(0, 12));

  const siblingBot = await prisma.bot.create({ data: { organizationId: org.organization.id, name: `Sibling of ${org.bot.name}` } });
  await createConversation(siblingBot.id);
  const sibling = { bot: siblingBot, token: (await createBotTokenUnchecked(siblingBot.id)).token };

  const stranger = await apiOrganization();
  return { org, contact, revokedToken, sibling, stranger };
}

beforeAll(async () => {
  world = await buildWorld();
  process.env.MAX_UPLOAD_BYTES = String(UPLOAD_LIMIT);
  storageWrites = recordStorageWrites();
});

afterAll(() => {
  storageWrites.stop();
  if (defaultUploadLimit === undefined) delete process.env.MAX_UPLOAD_BYTES;
  else process.env.MAX_UPLOAD_BYTES = defaultUploadLimit;
});

type ChannelRequest = { botId: string; authorization: string | null; body: string };
/** A request and, when it has exactly one fault, the status that fault must get. */
type Case = { request: ChannelRequest; status: 400 | 401 | 404 | 413 | 422 | null };

function call({ botId, authorization, body }: ChannelRequest): Promise<Response> {
  const request = new Request(`http://localhost/api/v1/bots/${encodeURIComponent(botId)}/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
    body,
  });
  return POST(request, { params: Promise.resolve({ botId }) });
}

// --- Bodies --------------------------------------------------------------------------------------

type Message = Record<string, unknown>;

const text = fc.string({ unit: "grapheme", maxLength: 40 });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const smallFile = fc.record({
  fileName: fc.constantFrom("receipt.txt", "photo.png", "Übersicht 2024.pdf", "答え.txt", "a"),
  contentType: fc.constantFrom("text/plain", "image/png", "application/pdf", "application/octet-stream"),
  dataBase64: fc.uint8Array({ minLength: 1, maxLength: 64 }).map(base64),
});

/**
 * A message the API accepts: text or files or both, from the known contact or a new one, maybe on
 * a channel. Built to be valid, not filtered by the product's schema.
 */
const validMessage = (): fc.Arbitrary<Message> =>
  fc
    .record(
      {
        externalId: fc.oneof(fc.constant(world.contact.externalId), fc.stringMatching(/^\+?[0-9a-z-]{1,40}$/).map((id) => `new-${id}`)),
        name: fc.stringMatching(/^[A-Za-zÀ-ÿ' -]{0,60}$/),
        text: text.map((words) => `Hello ${words.replaceAll("\u0000", "")}`),
        channel: fc.constantFrom("api", "whatsapp", "Telegram", "my_app-2"),
        files: fc.array(smallFile, { minLength: 1, maxLength: MAX_CHAT_FILES }),
      },
      { requiredKeys: ["externalId"] },
    )
    .filter((parts) => parts.text !== undefined || parts.files !== undefined)
    .map(({ externalId, name, ...rest }) => ({ contact: name === undefined ? { externalId } : { externalId, name }, ...rest }));

/** A value of any type, biased toward almost-right ones: edge strings, numbers, nested shapes. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("", "   ", "web", "api", "hi", "\u0000", "null", "true", "0"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(text, { maxLength: 3 }),
  fc.string({ unit: "grapheme", minLength: 100, maxLength: 300 }),
);

/** `unit` repeated to more than `count` times. */
const repeat = (unit: string, count: number) => fc.integer({ min: count + 1, max: count * 3 }).map((times) => unit.repeat(times));

const without = (message: Message, key: string): Message => Object.fromEntries(Object.entries(message).filter(([name]) => name !== key));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Wrong in one targeted place, by construction (so not filtered through the product's schema): a
 * missing or mistyped contact; a contact id, name or text too long (in code points, so whichever
 * way characters are counted) or holding a NUL, which PostgreSQL text cannot store; nothing to
 * send; a web or malformed channel; files that are no list, too many, or with a bad field; a key
 * the API does not know, in the message, its contact or a file (a misspelt field is refused, not
 * dropped).
 */
const unknownKey = fc.constantFrom("colour", "txt", "varaibles", "Text", "contactId", "file", "dataBase64 ");

const fieldFaults = (): fc.Arbitrary<(message: Message) => Message>[] => [
  fc.tuple(unknownKey, anyValue).map(([key, value]) => (message: Message) => ({ ...message, [key]: value })),
  fc.tuple(unknownKey, anyValue).map(([key, value]) => (message: Message) => ({ ...message, contact: { ...(message.contact as object), [key]: value } })),
  fc
    .tuple(smallFile, unknownKey, anyValue)
    .map(([file, key, value]) => (message: Message) => ({ ...message, files: [...((message.files as unknown[] | undefined) ?? []).slice(0, MAX_CHAT_FILES - 1), { ...file, [key]: value }] })),
  fc.constant((message: Message) => without(message, "contact")),
  anyValue.filter((contact) => !isObject(contact)).map((contact) => (message: Message) => ({ ...message, contact })),
  fc
    .oneof(
      fc.constantFrom<unknown>("", "   ", "\t\n", null, 42, true, ["x"], { id: "x" }, "\u0000", "contact-\u0000", "+49\u00001"),
      repeat("x", 200),
      repeat("é", 200),
      repeat("🙂", 200),
    )
    .map((externalId) => (message: Message) => ({ ...message, contact: { ...(message.contact as object), externalId } })),
  fc
    .oneof(fc.constantFrom<unknown>(42, ["Ana"], { first: "Ana" }, "Ana\u0000"), repeat("n", 100), repeat("名", 100))
    .map((name) => (message: Message) => ({ ...message, contact: { ...(message.contact as object), name } })),
  fc
    .oneof(
      fc.constantFrom<unknown>(42, true, ["hi"], { text: "hi" }, "Hi\u0000there", "\u0000"),
      repeat("a", MAX_CHAT_TEXT),
      repeat("ß", MAX_CHAT_TEXT),
      repeat("👩‍👩‍👧", MAX_CHAT_TEXT),
      fc.integer({ min: MAX_CHAT_TEXT + 1, max: MAX_CHAT_TEXT * 2 }).map((length) => ` ${"x".repeat(length)} `),
    )
    .map((value) => (message: Message) => ({ ...message, text: value })),
  fc.constantFrom("", "   ", "\n\t ").map((blank) => (message: Message) => ({ ...without(message, "files"), text: blank })),
  fc
    .oneof(
      fc.constantFrom<unknown>("web", "WEB", " Web ", "", "-api", "_x", "what's app", "whats app", "tëlegram", "通道", "api/1", "web\u0000", 42, ["api"]),
      repeat("c", 32),
    )
    .map((channel) => (message: Message) => ({ ...message, channel })),
  fc
    .oneof(
      fc.constantFrom<unknown>("file", 1, true, { fileName: "a.txt", dataBase64: "YQ==" }),
      fc.array(smallFile, { minLength: MAX_CHAT_FILES + 1, maxLength: MAX_CHAT_FILES + 4 }),
      fc.array(anyValue, { minLength: 1, maxLength: 2 }).filter((files) => files.some((file) => !isObject(file) || !("fileName" in file) || !("dataBase64" in file))),
    )
    .map((files) => (message: Message) => ({ ...message, files })),
  fc
    .oneof(
      fc.constantFrom<Record<string, unknown>>(
        { fileName: "" },
        { fileName: "   " },
        { fileName: null },
        { fileName: 3 },
        { fileName: "a\u0000.txt" },
        { contentType: "png" },
        { contentType: "image/" },
        { contentType: "/png" },
        { contentType: "text plain" },
        { contentType: "" },
        { contentType: 7 },
        { contentType: "text/plain; charset=utf-8\u0000" },
        { dataBase64: null },
        { dataBase64: 42 },
        { dataBase64: ["YQ=="] },
        { dataBase64: { data: "YQ==" } },
      ),
      repeat("f", 255).map((fileName) => ({ fileName })),
      repeat("t", 200).map((subtype) => ({ contentType: `text/${subtype}` })),
    )
    .chain((fault) =>
      fc.tuple(smallFile, fc.boolean()).map(([file, dropData]) => (message: Message) => {
        const broken = dropData && !("dataBase64" in fault) ? without({ ...file, ...fault }, "dataBase64") : { ...file, ...fault };
        return { ...message, files: [...((message.files as unknown[] | undefined) ?? []).slice(0, MAX_CHAT_FILES - 1), broken] };
      }),
    ),
];

/** A message the API refuses: one targeted fault, or keys replaced by anything the schema refuses. */
const malformedMessage = (): fc.Arbitrary<Message> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.tuple(validMessage(), fc.oneof(...fieldFaults())).map(([message, fault]) => fault(message)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validMessage(), fc.dictionary(fc.constantFrom("contact", "text", "channel", "files"), anyValue, { minKeys: 1, maxKeys: 3 }))
        .map(([message, overrides]) => ({ ...message, ...overrides }))
        .filter((message) => !channelMessageSchema.safeParse(message).success),
    },
  );

/** Not JSON, or JSON that is not an object. */
const notAnObject = fc.oneof(
  fc.constantFrom("", " ", "{", "{\"contact\":", "[1,2", "nul", "'single'", "{contact: {externalId: 1}}", "\u0000"),
  fc.string({ unit: "grapheme", maxLength: 40 }).filter((body) => {
    try {
      const value: unknown = JSON.parse(body);
      return value === null || typeof value !== "object" || Array.isArray(value);
    } catch {
      return true;
    }
  }),
  fc.jsonValue({ maxDepth: 2 }).filter((value) => value === null || typeof value !== "object" || Array.isArray(value)).map((value) => JSON.stringify(value)),
);

/**
 * Files that are not base64: a character outside both alphabets, the two alphabets mixed, padding
 * in the middle, or one character too many (a lone 6-bit group is no byte).
 */
const undecodableData = fc
  .tuple(fc.uint8Array({ minLength: 3, maxLength: 48 }).map(base64), fc.nat(), fc.constantFrom("*", "!", ".", "@", "#", "%", "~", "ü", "€", "😀", "\\", "\""))
  .chain(([data, at, junk]) => {
    const position = at % (data.length + 1);
    const unpadded = data.replace(/=+$/, "");
    return fc.constantFrom(
      data.slice(0, position) + junk + data.slice(position),
      `${unpadded}+-_/`,
      `YQ==${data}`,
      `${unpadded}${"A".repeat((4 - (unpadded.length % 4)) % 4)}B`,
    );
  });

const withFiles = (files: fc.Arbitrary<{ fileName: string; contentType: string; dataBase64: string }>) =>
  fc
    .tuple(validMessage(), files, fc.nat())
    .map(([message, file, at]) => {
      const others = ((message.files as unknown[] | undefined) ?? []).slice(0, MAX_CHAT_FILES - 1);
      const position = at % (others.length + 1);
      return { ...message, files: [...others.slice(0, position), file, ...others.slice(position)] };
    });

const undecodableFileMessage = () => withFiles(smallFile.chain((file) => undecodableData.map((dataBase64) => ({ ...file, dataBase64 }))));

/** A file whose bytes, still base64, decode to more than the upload limit. */
const oversizedFileMessage = () =>
  withFiles(
    fc
      .tuple(smallFile, fc.integer({ min: 1, max: 4096 }), fc.constantFrom("A", "/", "_"))
      .map(([file, extra, unit]) => ({ ...file, dataBase64: unit.repeat(Math.ceil(((UPLOAD_LIMIT + extra) * 4) / 3 / 4) * 4) })),
  );

/** A body longer than the API reads, whatever it holds. */
const oversizedBody = () =>
  fc.tuple(validMessage(), fc.integer({ min: 1, max: 64 * 1024 })).map(([message, extra]) => {
    const padding = "x".repeat(maxChannelBodyBytes() + extra);
    return JSON.stringify({ ...message, text: padding });
  });

// --- Bot ids and tokens --------------------------------------------------------------------------

/** Not an id: empty, too long, characters outside [A-Za-z0-9_-]. */
const malformedBotId = fc.oneof(
  fc.constantFrom("", " ", "a b", "../bots", "bot/1", "bot.1", "bot%00", "\u0000", "ボット", "🙂"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 80 }).filter((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id)),
  fc.stringMatching(/^[A-Za-z0-9_-]{65,300}$/),
);
/** Well-formed ids of no bot, or of bots this token does not belong to. */
const otherBotId = () =>
  fc
    .oneof(
      fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
      fc.constantFrom(world.sibling.bot.id, world.stranger.bot.id, world.org.organization.id, world.org.conversation.id, world.org.bot.id.toUpperCase()),
    )
    .filter((id) => id !== world.org.bot.id);

/** Valid tokens that are not this bot's: personal tokens, another bot's of the same or another organization. */
const foreignTokenHeader = () =>
  fc.constantFrom(bearer(world.org.ownerToken), bearer(world.stranger.ownerToken), bearer(world.sibling.token), bearer(world.stranger.botToken));
const unauthorizedHeader = () => fc.oneof(malformedAuthorization(world.org.botToken), deadTokenAuthorization(world.revokedToken));

// --- Requests ------------------------------------------------------------------------------------

function valid(): { [K in keyof ChannelRequest]: fc.Arbitrary<ChannelRequest[K]> } {
  return {
    botId: fc.constant(world.org.bot.id),
    authorization: fc.constant(bearer(world.org.botToken)),
    body: validMessage().map((message) => JSON.stringify(message)),
  };
}

/** A valid request with one part replaced. */
const oneFault = <K extends keyof ChannelRequest>(key: K, bad: fc.Arbitrary<ChannelRequest[K]>, status: Case["status"]): fc.Arbitrary<Case> =>
  fc.record({ ...valid(), [key]: bad }).map((request) => ({ request: request as ChannelRequest, status }));

const json = (message: fc.Arbitrary<Message>) => message.map((value) => JSON.stringify(value));

/**
 * Each part valid or not, at least one not: the first check that fails decides the status. Two
 * faults may cancel out (another bot's id with that bot's own token), so with a valid body the
 * bot id and token must not belong together.
 */
const severalFaults = (): fc.Arbitrary<Case> => {
  const good = valid();
  const tokenOfBot = new Map([
    [world.org.bot.id, bearer(world.org.botToken)],
    [world.sibling.bot.id, bearer(world.sibling.token)],
    [world.stranger.bot.id, bearer(world.stranger.botToken)],
  ]);
  return fc
    .record({
      botId: fc.option(fc.oneof(malformedBotId, otherBotId()), { nil: undefined }),
      authorization: fc.option(fc.oneof(unauthorizedHeader(), foreignTokenHeader()), { freq: 2, nil: undefined }),
      body: fc.option(fc.oneof(json(malformedMessage()), notAnObject, json(undecodableFileMessage()), json(oversizedFileMessage())), {
        freq: 2,
        nil: undefined,
      }),
    })
    .chain((faults) =>
      fc.record({
        botId: faults.botId === undefined ? good.botId : fc.constant(faults.botId),
        authorization: faults.authorization === undefined ? good.authorization : fc.constant(faults.authorization),
        body: faults.body === undefined ? good.body : fc.constant(faults.body),
        bodyIsValid: fc.constant(faults.body === undefined),
      }),
    )
    .filter(({ botId, authorization, bodyIsValid }) => !bodyIsValid || tokenOfBot.get(botId) !== authorization)
    .map(({ bodyIsValid: _valid, ...request }) => ({ request, status: null }));
};

// --- The property --------------------------------------------------------------------------------

async function expectRejected(response: Response, expectedStatus: Case["status"], request: ChannelRequest) {
  const { body: envelope, why } = await expectJsonRejection(response, expectedStatus, request);
  expect(envelope, why).toEqual({
    success: false,
    error: { code: expect.any(String), message: expect.stringMatching(/\S/), details: expect.toSatisfy((details) => details === null || isObject(details)) },
    meta: { timestamp: expect.any(String), requestId: expect.any(String) },
  });
}

describe("POST /api/v1/bots/<botId>/messages with malformed requests", () => {
  it("answers every one with a 4xx envelope, writes no row and no file", async () => {
    const organizations = [world.org.organization.id, world.stranger.organization.id];
    const before = await organizationRowCounts(organizations);
    let counts = before;
    const conversationBefore = await prisma.conversation.findUniqueOrThrow({ where: { id: world.org.conversation.id } });
    const statuses = new Set<number>();

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          oneFault("body", json(malformedMessage()), 400),
          oneFault("body", notAnObject, 400),
          oneFault("body", json(undecodableFileMessage()), 422),
          oneFault("body", json(oversizedFileMessage()), 413),
          oneFault("body", oversizedBody(), 413),
          oneFault("botId", malformedBotId, 400),
          oneFault("botId", otherBotId(), 404),
          oneFault("authorization", unauthorizedHeader(), 401),
          oneFault("authorization", foreignTokenHeader(), 404),
          { weight: 2, arbitrary: severalFaults() },
        ),
        async ({ request, status }) => {
          const filesBefore = storageWrites.keys.length;
          const response = await call(request);
          statuses.add(response.status);
          // Counted before any assertion and against the counts after the previous request, so
          // what a request writes is blamed on that request, also while fast-check shrinks.
          const countsBefore = counts;
          counts = await organizationRowCounts(organizations);
          await expectRejected(response, status, request);
          expect(counts, "rows written").toEqual(countsBefore);
          expect(storageWrites.keys.slice(filesBefore), "files written").toEqual([]);
        },
      ),
      { numRuns: NUM_RUNS },
    );

    expect(await organizationRowCounts(organizations)).toEqual(before);
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: world.org.conversation.id } })).toEqual(conversationBefore);
    // The runs reached every check: the bot id, the body, the token and the files.
    expect([...statuses].sort()).toEqual([400, 401, 404, 413, 422]);
  });

  it("lets a request through once its fault is fixed, and sees the rows and the file it writes", async () => {
    const organizations = [world.org.organization.id];
    const before = await organizationRowCounts(organizations);
    const filesBefore = storageWrites.keys.length;
    const body = { contact: { externalId: `fixed-${world.org.bot.id}` }, text: "hi", files: [{ fileName: "a.txt", contentType: "text/plain", dataBase64: "YQ==" }] };

    const response = await call({ botId: world.org.bot.id, authorization: bearer(world.org.botToken), body: JSON.stringify(body) });

    expect(response.status).toBe(201);
    const after = await organizationRowCounts(organizations);
    expect(after).toMatchObject({
      contacts: before.contacts + 1,
      conversations: before.conversations + 1,
      messages: before.messages + 2,
      attachments: before.attachments + 1,
    });
    expect(storageWrites.keys).toHaveLength(filesBefore + 1);
  });
});
