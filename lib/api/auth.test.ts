import { describe, expect, it } from "vitest";
import { authenticateRequest } from "@/lib/api/auth";
import { authorizeConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { createShare } from "@/lib/shares/mutations";
import { createBotToken, createPersonalToken, revokeToken } from "@/lib/tokens/mutations";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

const request = (authorization?: string) =>
  new Request("http://localhost/api/v1/anything", { headers: authorization === undefined ? {} : { Authorization: authorization } });

describe("authenticateRequest", () => {
  it("rejects a missing, malformed, unknown or revoked token with a clear 401", async () => {
    const { owner, bot } = await createOrganization();
    const { token, item } = await createBotToken(owner.actor, { botId: bot.id, name: "t" });

    expect((await expectAppError(authenticateRequest(request()), "unauthorized")).message).toMatch(/Missing API token/);
    expect((await expectAppError(authenticateRequest(request(`Basic ${token}`)), "unauthorized")).message).toMatch(/Malformed Authorization/);
    expect((await expectAppError(authenticateRequest(request("Bearer sb_bot_short")), "unauthorized")).message).toMatch(/Malformed API token/);
    const wrong = token.slice(0, -1) + (token.endsWith("a") ? "b" : "a");
    expect((await expectAppError(authenticateRequest(request(`Bearer ${wrong}`)), "unauthorized")).message).toBe("Invalid API token.");

    await revokeToken(owner.actor, { tokenId: item.id });
    expect((await expectAppError(authenticateRequest(request(`Bearer ${token}`)), "unauthorized")).message).toMatch(/revoked/);
  });

  it("returns the bot actor for a bot token and records when it was used", async () => {
    const { owner, bot, organization } = await createOrganization();
    const { token, item } = await createBotToken(owner.actor, { botId: bot.id, name: "bridge" });

    const actor = await authenticateRequest(request(`bearer  ${token}`));

    expect(actor).toEqual({ kind: "bot_token", tokenId: item.id, botId: bot.id, organizationId: organization.id, name: "bridge" });
    const used = await prisma.apiToken.findUniqueOrThrow({ where: { id: item.id } });
    expect(used.lastUsedAt).toBeInstanceOf(Date);
    // Within a minute the timestamp is not rewritten.
    await authenticateRequest(request(`Bearer ${token}`));
    expect((await prisma.apiToken.findUniqueOrThrow({ where: { id: item.id } })).lastUsedAt).toEqual(used.lastUsedAt);
  });

  it("returns the member for a personal token, with their roles", async () => {
    const { owner, organization } = await createOrganization();
    const { token } = await createPersonalToken(owner.actor, { name: "laptop" });

    const actor = await authenticateRequest(request(`Bearer ${token}`));

    expect(actor).toMatchObject({
      kind: "user",
      userId: owner.userId,
      email: owner.email,
      memberships: [{ organizationId: organization.id, role: "OWNER" }],
      tokenId: expect.any(String),
    });
  });
});

describe("bot scope", () => {
  it("acts as its bot, never as a member: another organization's conversation is not found, and shares it makes name the bot", async () => {
    const { owner, bot, organization } = await createOrganization();
    const other = await createOrganization();
    const { token } = await createBotToken(owner.actor, { botId: bot.id, name: "bridge" });
    const actor = await authenticateRequest(request(`Bearer ${token}`));

    expect(actor).toMatchObject({ kind: "bot_token", botId: bot.id, organizationId: organization.id });
    const { conversation } = await createConversation(other.bot.id);
    await expectAppError(authorizeConversation(prisma, actor, conversation.id, "share"), "not_found");
    await expectAppError(createShare(actor, { conversationId: conversation.id, settings: {} }), "not_found");

    const mine = await createConversation(bot.id);
    const { share } = await createShare(actor, { conversationId: mine.conversation.id, settings: {} });
    expect(share).toMatchObject({ userId: null, createdByBotId: bot.id });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { shareId: share.id, action: "share.created" } });
    expect(audit).toMatchObject({ actorType: "bot", actorName: "bridge (bot token)", actorUserId: null });
  });

  it("keeps a bot token off another bot's conversations in the same organization", async () => {
    const { owner, bot, organization } = await createOrganization();
    const sibling = await prisma.bot.create({ data: { organizationId: organization.id, name: "Sibling bot" } });
    const { token } = await createBotToken(owner.actor, { botId: bot.id, name: "bridge" });
    const actor = await authenticateRequest(request(`Bearer ${token}`));
    const mine = await createConversation(bot.id);
    const theirs = await createConversation(sibling.id);

    await expectAppError(authorizeConversation(prisma, actor, theirs.conversation.id, "read"), "not_found");
    await expectAppError(createShare(actor, { conversationId: theirs.conversation.id, settings: {} }), "not_found");
    await authorizeConversation(prisma, actor, mine.conversation.id, "share");
    const { share } = await createShare(actor, { conversationId: mine.conversation.id, settings: {} });
    expect(share.conversationId).toBe(mine.conversation.id);
  });
});
