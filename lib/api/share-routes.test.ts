import { describe, expect, it } from "vitest";
import type { ShareDto } from "@/lib/api/share-dto";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { apiOrganization, memberWithToken, readEnvelope, shareApi, shareTableCounts, type Envelope } from "@/lib/testing/share-api";
import { revokeTokenByPrefixUnchecked } from "@/lib/tokens/mutations";
import { DEFAULT_SHARE_FIELDS, exactShareDtoSchema } from "@/lib/api/share-dto";

const DAY_MS = 24 * 60 * 60 * 1000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Created = { shareId: string; shareUrl: string; conversation: ShareDto };

async function expectSuccess<T>(response: Response, status: number): Promise<T> {
  const envelope = await readEnvelope<T>(response);
  expect(envelope, JSON.stringify(envelope)).toMatchObject({ success: true });
  expect(response.status).toBe(status);
  expect(envelope.meta.timestamp).toMatch(ISO);
  expect(envelope.meta.requestId).toMatch(UUID);
  expect(response.headers.get("x-request-id")).toBe(envelope.meta.requestId);
  return (envelope as Extract<Envelope<T>, { success: true }>).data;
}

async function expectFailure(response: Response, status: number, code: string) {
  const envelope = await readEnvelope(response);
  expect(response.status, JSON.stringify(envelope)).toBe(status);
  expect(envelope).toMatchObject({ success: false, error: { code, message: expect.any(String) } });
  expect(envelope.meta.requestId).toMatch(UUID);
  expect(envelope.meta.timestamp).toMatch(ISO);
  return (envelope as Extract<Envelope, { success: false }>).error;
}

function expectShareShape(share: ShareDto) {
  const parsed = exactShareDtoSchema.safeParse(share);
  expect(parsed.error?.issues ?? []).toEqual([]);
}

async function createdShare(token: string, body: Record<string, unknown>, status = 201) {
  return expectSuccess<Created>(await shareApi.create({ token, body }), status);
}

describe("POST /api/v1/share", () => {
  it("creates a share: 201 with the link and every <share> field", async () => {
    const { owner, conversation, ownerToken } = await apiOrganization();

    const data = await createdShare(ownerToken, { conversationId: conversation.id });

    expect(data.shareUrl).toBe(`${env.APP_URL}/share/${data.shareId}`);
    expectShareShape(data.conversation);
    expect(data.conversation).toMatchObject({
      shareId: data.shareId,
      userId: owner.userId,
      conversationId: conversation.id,
      ...DEFAULT_SHARE_FIELDS,
    });
    const row = await prisma.share.findUniqueOrThrow({ where: { publicId: data.shareId } });
    expect(row.id).toBe(data.conversation.id);
  });

  it("stores every option it is given, with expires_in_days or expiresInDays as days", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const before = Date.now();

    const data = await createdShare(ownerToken, {
      conversationId: conversation.id,
      visibility: "organization",
      allowContinuation: true,
      expires_in_days: 7,
      customTitle: "Order #1042",
      customDescription: "The refund, start to end.",
      mode: "auto",
    });
    const viaCamel = await createdShare(ownerToken, { conversationId: conversation.id, expiresInDays: 2, regenerate: true });

    expect(data.conversation).toMatchObject({
      visibility: "organization",
      allowContinuation: true,
      customTitle: "Order #1042",
      customDescription: "The refund, start to end.",
      mode: "auto",
    });
    const expiresAt = Date.parse(data.conversation.expiresAt!);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS);
    expect(Date.parse(viaCamel.conversation.expiresAt!) - Date.parse(viaCamel.conversation.createdAt)).toBeCloseTo(2 * DAY_MS, -4);
  });

  it("returns the active share with the same settings (200) unless regenerate is set (201, new id)", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const first = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "Same" });

    const again = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "Same" }, 200);
    const other = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "Other" });
    const regenerated = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "Same", regenerate: true });

    expect(again.shareId).toBe(first.shareId);
    expect(other.shareId).not.toBe(first.shareId);
    expect(regenerated.shareId).not.toBe(first.shareId);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(3);
  });

  it("creates a partial share of exactly the chosen messages", async () => {
    const { conversation, messageIds, ownerToken } = await apiOrganization();

    const data = await createdShare(ownerToken, {
      conversationId: conversation.id,
      shareType: "partial",
      messageIds: [messageIds[2], messageIds[0]],
    });

    expect(data.conversation.shareType).toBe("partial");
    expect([...data.conversation.messageIds].sort()).toEqual([messageIds[0], messageIds[2]].sort());
    expect(await prisma.shareMessage.count({ where: { share: { publicId: data.shareId } } })).toBe(2);
  });

  it("acts for a bot with a bot token, on its own bot's conversations only, and credits the bot", async () => {
    const { organization, conversation, botToken, bot } = await apiOrganization();
    const otherBot = await prisma.bot.create({ data: { organizationId: organization.id, name: "Billing" } });
    const { conversation: otherBotsConversation } = await createConversation(otherBot.id);

    const data = await createdShare(botToken, { conversationId: conversation.id });
    const refused = await shareApi.create({ token: botToken, body: { conversationId: otherBotsConversation.id } });

    // The bot made it: no member poses as its creator.
    expect(data.conversation).toMatchObject({ userId: null, createdBy: { type: "bot", id: bot.id } });
    await expectFailure(refused, 404, "not_found");
  });

  it("answers 400 naming the field for bad input, and changes nothing", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const before = await shareTableCounts([organization.id]);
    const cases: [unknown, string][] = [
      ["{not json", "_"],
      [{}, "conversationId"],
      [{ conversationId: conversation.id, colour: "red" }, "_"],
      [{ conversationId: conversation.id, shareType: "FULL" }, "shareType"],
      [{ conversationId: conversation.id, shareType: "partial" }, "messageIds"],
      [{ conversationId: conversation.id, messageIds: ["x"] }, "messageIds"],
      [{ conversationId: conversation.id, expires_in_days: 0 }, "expires_in_days"],
      [{ conversationId: conversation.id, expires_in_days: 366 }, "expires_in_days"],
      [{ conversationId: conversation.id, expires_in_days: 1.5 }, "expires_in_days"],
      [{ conversationId: conversation.id, expires_in_days: 3, expiresInDays: 4 }, "expires_in_days"],
      [{ conversationId: conversation.id, customTitle: "x".repeat(201) }, "customTitle"],
      [{ conversationId: conversation.id, customDescription: "x".repeat(501) }, "customDescription"],
      [{ conversationId: conversation.id, mode: "auto" }, "expires_in_days"],
      [{ conversationId: conversation.id, mode: "takeover", shareType: "partial", messageIds: ["x"] }, "shareType"],
      [{ conversationId: conversation.id, allowContinuation: "yes" }, "allowContinuation"],
    ];

    for (const [body, field] of cases) {
      const error = await expectFailure(await shareApi.create({ token: ownerToken, body }), 400, "bad_request");
      if (body === "{not json") expect(error.message).toBe("Body must be JSON");
      else expect(Object.keys(error.details ?? {}), JSON.stringify(body)).toContain(field);
    }
    expect(await shareTableCounts([organization.id])).toEqual(before);
  });

  it("answers 400 to text PostgreSQL cannot store (NUL), in any field, and changes nothing", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const before = await shareTableCounts([organization.id]);
    for (const body of [
      { conversationId: conversation.id, customTitle: "Order\u0000 1042" },
      { conversationId: conversation.id, customDescription: "\u0000" },
      { conversationId: `${conversation.id}\u0000` },
    ]) {
      const error = await expectFailure(await shareApi.create({ token: ownerToken, body }), 400, "bad_request");
      // An id with a NUL is no id at all.
      expect(error.message).toMatch(/must not contain NUL characters|conversationId: Malformed id/);
    }
    expect(await shareTableCounts([organization.id])).toEqual(before);
  });

  it("answers 413 to a body larger than the API reads", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const body = { conversationId: conversation.id, customDescription: "x".repeat(300 * 1024) };

    await expectFailure(await shareApi.create({ token: ownerToken, body }), 413, "payload_too_large");
  });

  it("answers 401 without a valid token", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const body = { conversationId: conversation.id };

    const missing = await shareApi.create({ token: null, body });
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    await expectFailure(missing, 401, "unauthorized");
    await expectFailure(await shareApi.create({ token: "sb_pat_" + "a".repeat(32), body }), 401, "unauthorized");
    await expectFailure(await shareApi.create({ token: "not-a-token", body }), 401, "unauthorized");
    await revokeTokenByPrefixUnchecked(ownerToken.slice(0, 12));
    await expectFailure(await shareApi.create({ token: ownerToken, body }), 401, "unauthorized");
  });

  it("answers 403 to a member whose role may read but not share", async () => {
    const { organization, conversation } = await apiOrganization();
    const viewer = await memberWithToken(organization.id, "VIEWER");

    await expectFailure(await shareApi.create({ token: viewer.token, body: { conversationId: conversation.id } }), 403, "forbidden");
  });

  it("answers 404 for another organization's conversation and for an unknown one", async () => {
    const { conversation } = await apiOrganization();
    const stranger = await apiOrganization();

    await expectFailure(await shareApi.create({ token: stranger.ownerToken, body: { conversationId: conversation.id } }), 404, "not_found");
    await expectFailure(await shareApi.create({ token: stranger.botToken, body: { conversationId: conversation.id } }), 404, "not_found");
    await expectFailure(await shareApi.create({ token: stranger.ownerToken, body: { conversationId: "nope" } }), 404, "not_found");
  });

  it("answers 422 for message ids that are not in the conversation", async () => {
    const { organization, bot, conversation, messageIds, ownerToken } = await apiOrganization();
    const { messageIds: elsewhere } = await createConversation(bot.id);
    const before = await shareTableCounts([organization.id]);

    const error = await expectFailure(
      await shareApi.create({
        token: ownerToken,
        body: { conversationId: conversation.id, shareType: "partial", messageIds: [messageIds[0], elsewhere[0]] },
      }),
      422,
      "unprocessable",
    );

    expect(error.details).toHaveProperty("messageIds");
    expect(await shareTableCounts([organization.id])).toEqual(before);
  });
});

describe("Idempotency-Key on POST /api/v1/share", () => {
  it("replays the first answer byte for byte and refuses the key with another body (422)", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const body = { conversationId: conversation.id, regenerate: true };
    const headers = { "idempotency-key": "order-1042-share" };

    const first = await shareApi.create({ token: ownerToken, body, headers });
    const firstText = await first.text();
    const replay = await shareApi.create({ token: ownerToken, body: { regenerate: true, conversationId: conversation.id }, headers });
    const reused = await shareApi.create({ token: ownerToken, body: { ...body, customTitle: "Other" }, headers });

    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(await replay.text()).toBe(firstText);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    await expectFailure(reused, 422, "unprocessable");
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
  });

  it("keeps keys of different tokens apart", async () => {
    const { conversation, ownerToken, botToken } = await apiOrganization();
    const body = { conversationId: conversation.id, regenerate: true };
    const headers = { "idempotency-key": "same-key" };

    const byOwner = await createdShare(ownerToken, body);
    const byBot = await expectSuccess<Created>(await shareApi.create({ token: botToken, body, headers }), 201);
    const byOwnerWithKey = await expectSuccess<Created>(await shareApi.create({ token: ownerToken, body, headers }), 201);

    expect(new Set([byOwner.shareId, byBot.shareId, byOwnerWithKey.shareId]).size).toBe(3);
  });

  it("does not keep failed answers: the key works once the request is corrected", async () => {
    const { bot, conversation, ownerToken } = await apiOrganization();
    const { messageIds: elsewhere } = await createConversation(bot.id);
    const headers = { "idempotency-key": "retry-me" };
    const body = { conversationId: conversation.id, shareType: "partial", messageIds: elsewhere };

    await expectFailure(await shareApi.create({ token: ownerToken, body, headers }), 422, "unprocessable");
    expect(await prisma.idempotencyRecord.count({ where: { key: "retry-me" } })).toBe(0);
    await expectSuccess(await shareApi.create({ token: ownerToken, body: { conversationId: conversation.id }, headers }), 201);
  });

  it("answers 400 for an empty or over-long key", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const body = { conversationId: conversation.id };

    for (const key of ["", "k".repeat(201)]) {
      const error = await expectFailure(await shareApi.create({ token: ownerToken, body, headers: { "idempotency-key": key } }), 400, "bad_request");
      expect(error.details).toHaveProperty("Idempotency-Key");
    }
  });

  it("creates one share for 20 concurrent requests with one key, all answered alike", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const body = { conversationId: conversation.id, regenerate: true };

    const responses = await Promise.all(
      Array.from({ length: 20 }, () => shareApi.create({ token: ownerToken, body, headers: { "idempotency-key": "burst" } })),
    );
    const texts = await Promise.all(responses.map((response) => response.text()));

    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    expect(new Set(texts).size).toBe(1);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await prisma.idempotencyRecord.count({ where: { key: "burst" } })).toBe(1);
  });
});

describe("GET /api/v1/share", () => {
  it("lists every share of the conversation, newest first, revoked ones included", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const first = await createdShare(ownerToken, { conversationId: conversation.id });
    const second = await createdShare(ownerToken, { conversationId: conversation.id, regenerate: true });
    await shareApi.revoke(first.shareId, { token: ownerToken });

    const shares = await expectSuccess<ShareDto[]>(await shareApi.list(conversation.id, { token: ownerToken }), 200);

    expect(shares.map((share) => [share.shareId, share.status])).toEqual([
      [second.shareId, "active"],
      [first.shareId, "revoked"],
    ]);
    shares.forEach(expectShareShape);
  });

  it("answers 400 for a malformed conversationId, 401, 403 and 404 like the other endpoints", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const viewer = await memberWithToken(organization.id, "VIEWER");
    const stranger = await apiOrganization();

    await expectFailure(await shareApi.list("not an id", { token: ownerToken }), 400, "bad_request");
    await expectFailure(await shareApi.list(conversation.id, { token: null }), 401, "unauthorized");
    await expectFailure(await shareApi.list(conversation.id, { token: viewer.token }), 403, "forbidden");
    await expectFailure(await shareApi.list(conversation.id, { token: stranger.ownerToken }), 404, "not_found");
  });
});

describe("GET /api/v1/share/{shareId}", () => {
  it("answers the share with live counters", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });
    const viewedAt = new Date();
    await prisma.share.update({ where: { publicId: created.shareId }, data: { viewCount: 3, lastViewedAt: viewedAt } });

    const share = await expectSuccess<ShareDto>(await shareApi.get(created.shareId, { token: ownerToken }), 200);

    expectShareShape(share);
    expect(share).toMatchObject({ shareId: created.shareId, viewCount: 3, lastViewedAt: viewedAt.toISOString(), status: "active" });
  });

  it("answers 404 for another organization's share (not 403), for another bot's and for an unknown id", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });
    const stranger = await apiOrganization();
    const otherBot = await prisma.bot.create({ data: { organizationId: organization.id, name: "Other" } });
    const otherBotToken = (await import("@/lib/tokens/mutations")).createBotTokenUnchecked(otherBot.id);

    await expectFailure(await shareApi.get(created.shareId, { token: stranger.ownerToken }), 404, "not_found");
    await expectFailure(await shareApi.get(created.shareId, { token: stranger.botToken }), 404, "not_found");
    await expectFailure(await shareApi.get(created.shareId, { token: (await otherBotToken).token }), 404, "not_found");
    await expectFailure(await shareApi.get("A".repeat(32), { token: ownerToken }), 404, "not_found");
  });

  it("answers 400 for a malformed id, 401 without a token, 403 to a viewer", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });
    const viewer = await memberWithToken(organization.id, "VIEWER");

    await expectFailure(await shareApi.get("bad id!", { token: ownerToken }), 400, "bad_request");
    await expectFailure(await shareApi.get(created.shareId, { token: null }), 401, "unauthorized");
    await expectFailure(await shareApi.get(created.shareId, { token: viewer.token }), 403, "forbidden");
  });
});

describe("PATCH /api/v1/share/{shareId}", () => {
  it("changes the given settings in place and keeps the others", async () => {
    const { conversation, messageIds, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "Keep me", allowContinuation: true });

    const changed = await expectSuccess<ShareDto>(
      await shareApi.update(created.shareId, {
        token: ownerToken,
        body: { visibility: "private", expires_in_days: 30, shareType: "partial", messageIds: [messageIds[1]] },
      }),
      200,
    );
    const read = await expectSuccess<ShareDto>(await shareApi.get(created.shareId, { token: ownerToken }), 200);

    expect(changed).toMatchObject({
      shareId: created.shareId,
      visibility: "private",
      shareType: "partial",
      messageIds: [messageIds[1]],
      customTitle: "Keep me",
      allowContinuation: true,
      status: "active",
    });
    expect(Date.parse(changed.expiresAt!)).toBeGreaterThan(Date.now() + 29 * DAY_MS);
    expect(read).toEqual(changed);
  });

  it("clears a title with null and turns a takeover link back into a view link", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id, customTitle: "T", mode: "takeover", takeOverOnOpen: true });

    const changed = await expectSuccess<ShareDto>(
      await shareApi.update(created.shareId, { token: ownerToken, body: { customTitle: null, mode: "view" } }),
      200,
    );

    expect(changed).toMatchObject({ customTitle: null, mode: "view" });
    expect((await prisma.share.findUniqueOrThrow({ where: { publicId: created.shareId } })).takeOverOnOpen).toBe(false);
  });

  it("answers 400, 401, 403, 404, 409 and 422 and changes nothing", async () => {
    const { organization, bot, conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });
    const revoked = await createdShare(ownerToken, { conversationId: conversation.id, regenerate: true });
    await shareApi.revoke(revoked.shareId, { token: ownerToken });
    const viewer = await memberWithToken(organization.id, "VIEWER");
    const stranger = await apiOrganization();
    const { messageIds: elsewhere } = await createConversation(bot.id);
    const before = await shareTableCounts([organization.id, stranger.organization.id]);

    await expectFailure(await shareApi.update(created.shareId, { token: ownerToken, body: {} }), 400, "bad_request");
    await expectFailure(await shareApi.update(created.shareId, { token: ownerToken, body: "[" }), 400, "bad_request");
    await expectFailure(await shareApi.update(created.shareId, { token: ownerToken, body: { conversationId: "x" } }), 400, "bad_request");
    await expectFailure(await shareApi.update(created.shareId, { token: ownerToken, body: { mode: "auto" } }), 400, "bad_request");
    await expectFailure(await shareApi.update(created.shareId, { token: null, body: { visibility: "private" } }), 401, "unauthorized");
    await expectFailure(await shareApi.update(created.shareId, { token: viewer.token, body: { visibility: "private" } }), 403, "forbidden");
    await expectFailure(await shareApi.update(created.shareId, { token: stranger.ownerToken, body: { visibility: "private" } }), 404, "not_found");
    await expectFailure(await shareApi.update(revoked.shareId, { token: ownerToken, body: { visibility: "private" } }), 409, "conflict");
    await expectFailure(
      await shareApi.update(created.shareId, { token: ownerToken, body: { shareType: "partial", messageIds: elsewhere } }),
      422,
      "unprocessable",
    );
    expect(await shareTableCounts([organization.id, stranger.organization.id])).toEqual(before);
    expect((await prisma.share.findUniqueOrThrow({ where: { publicId: created.shareId } })).visibility).toBe("PUBLIC");
  });
});

describe("DELETE /api/v1/share/{shareId}", () => {
  it("revokes the link: 200 with the revoked share, GET shows it revoked, a second DELETE changes nothing", async () => {
    const { conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });

    const revoked = await expectSuccess<ShareDto>(await shareApi.revoke(created.shareId, { token: ownerToken }), 200);
    const read = await expectSuccess<ShareDto>(await shareApi.get(created.shareId, { token: ownerToken }), 200);
    const again = await expectSuccess<ShareDto>(await shareApi.revoke(created.shareId, { token: ownerToken }), 200);

    expectShareShape(revoked);
    expect(revoked.status).toBe("revoked");
    expect(revoked.revokedAt).toMatch(ISO);
    expect(read).toMatchObject({ status: "revoked", revokedAt: revoked.revokedAt });
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect(await prisma.auditEvent.count({ where: { shareId: created.conversation.id, action: "share.revoked" } })).toBe(1);
  });

  it("answers 401, 403 and 404 and leaves the share active", async () => {
    const { organization, conversation, ownerToken } = await apiOrganization();
    const created = await createdShare(ownerToken, { conversationId: conversation.id });
    const viewer = await memberWithToken(organization.id, "VIEWER");
    const stranger = await apiOrganization();

    await expectFailure(await shareApi.revoke(created.shareId, { token: null }), 401, "unauthorized");
    await expectFailure(await shareApi.revoke(created.shareId, { token: viewer.token }), 403, "forbidden");
    await expectFailure(await shareApi.revoke(created.shareId, { token: stranger.ownerToken }), 404, "not_found");
    await expectFailure(await shareApi.revoke(created.shareId, { token: stranger.botToken }), 404, "not_found");
    expect((await prisma.share.findUniqueOrThrow({ where: { publicId: created.shareId } })).revokedAt).toBeNull();
  });
});

describe("the stranger's organization", () => {
  it("cannot see that a conversation exists: unknown and foreign answer the same", async () => {
    const { conversation } = await apiOrganization();
    const stranger = await createOrganization();
    const { token } = await memberWithToken(stranger.organization.id, "OWNER");

    const foreign = await expectFailure(await shareApi.list(conversation.id, { token }), 404, "not_found");
    const unknown = await expectFailure(await shareApi.list("c".repeat(25), { token }), 404, "not_found");

    expect(foreign.message).toBe(unknown.message);
  });
});
