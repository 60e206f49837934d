import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import {
  createBotToken,
  createBotTokenUnchecked,
  createPersonalToken,
  createPersonalTokenUnchecked,
  revokeToken,
  revokeTokenByPrefixUnchecked,
} from "@/lib/tokens/mutations";
import { listAllTokensUnchecked, listBotTokens, listPersonalTokens } from "@/lib/tokens/queries";
import { expectAppError } from "@/lib/testing/assertions";
import { createMember, createOrganization } from "@/lib/testing/fixtures";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("createBotToken", () => {
  it("returns the token once and stores only its SHA-256 and its first 12 characters", async () => {
    const { owner, bot } = await createOrganization();

    const { token, item } = await createBotToken(owner.actor, { botId: bot.id, name: "  WhatsApp bridge " });

    expect(token).toMatch(/^sb_bot_[0-9A-Za-z]{32}$/);
    expect(item).toMatchObject({ kind: "BOT", name: "WhatsApp bridge", prefix: token.slice(0, 12), lastUsedAt: null, revokedAt: null });
    expect(item).not.toHaveProperty("hash");
    const row = await prisma.apiToken.findUniqueOrThrow({ where: { id: item.id } });
    expect(row.hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(12));
    expect(row.botId).toBe(bot.id);
    expect(await prisma.auditEvent.count({ where: { action: "token.created", organizationId: bot.organizationId } })).toBe(1);
  });

  it("mints a different token every time", async () => {
    const { owner, bot } = await createOrganization();
    const tokens = await Promise.all(Array.from({ length: 5 }, () => createBotToken(owner.actor, { botId: bot.id, name: "t" })));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(5);
  });

  it("lets only owners and admins of the bot's organization create them; other organizations get 404", async () => {
    const { organization, bot } = await createOrganization();
    const admin = await createMember(organization.id, "ADMIN");
    const operator = await createMember(organization.id, "OPERATOR");
    const stranger = await createOrganization();

    await createBotToken(admin.actor, { botId: bot.id, name: "by admin" });
    await expectAppError(createBotToken(operator.actor, { botId: bot.id, name: "no" }), "forbidden");
    await expectAppError(createBotToken(stranger.owner.actor, { botId: bot.id, name: "no" }), "not_found");
    await expectAppError(listBotTokens(stranger.owner.actor, { botId: bot.id }), "not_found");
    expect(await prisma.apiToken.count({ where: { botId: bot.id } })).toBe(1);
  });

  it("rejects an empty name and writes nothing", async () => {
    const { owner, bot } = await createOrganization();
    const error = await expectAppError(createBotToken(owner.actor, { botId: bot.id, name: "   " }), "bad_request");
    expect(error.message).toMatch(/name/);
    expect(await prisma.apiToken.count({ where: { botId: bot.id } })).toBe(0);
  });
});

describe("personal tokens", () => {
  it("lists the member's own tokens without hashes and revokes them once", async () => {
    const { organization, owner } = await createOrganization();
    const other = await createMember(organization.id, "OWNER");
    const { token, item } = await createPersonalToken(owner.actor, { name: "laptop" });
    await createPersonalToken(other.actor, { name: "other's" });

    expect(token).toMatch(/^sb_pat_[0-9A-Za-z]{32}$/);
    const listed = await listPersonalTokens(owner.actor);
    expect(listed.map((t) => t.name)).toEqual(["laptop"]);
    expect(Object.keys(listed[0]).sort()).toEqual(["createdAt", "id", "kind", "lastUsedAt", "name", "prefix", "revokedAt"]);

    await expectAppError(revokeToken(other.actor, { tokenId: item.id }), "not_found");
    const revoked = await revokeToken(owner.actor, { tokenId: item.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const again = await revokeToken(owner.actor, { tokenId: item.id });
    expect(again.revokedAt).toEqual(revoked.revokedAt);
  });
});

describe("bot token list and revoke", () => {
  it("lists a bot's tokens for its owners and lets admins revoke them, not operators", async () => {
    const { organization, owner, bot } = await createOrganization();
    const operator = await createMember(organization.id, "OPERATOR");
    const { item } = await createBotToken(owner.actor, { botId: bot.id, name: "Telegram" });

    expect((await listBotTokens(owner.actor, { botId: bot.id })).map((t) => t.prefix)).toEqual([item.prefix]);
    await expectAppError(revokeToken(operator.actor, { tokenId: item.id }), "forbidden");
    await expectAppError(revokeToken((await createOrganization()).owner.actor, { tokenId: item.id }), "not_found");
    await revokeToken(owner.actor, { tokenId: item.id });
    expect((await listBotTokens(owner.actor, { botId: bot.id }))[0].revokedAt).not.toBeNull();
  });
});

describe("command-line token functions", () => {
  it("creates a bot token by bot name or id and a personal token by email, lists and revokes by prefix", async () => {
    const { owner, bot } = await createOrganization();

    const byName = await createBotTokenUnchecked(bot.name, "cli");
    const byId = await createBotTokenUnchecked(bot.id);
    const personal = await createPersonalTokenUnchecked(owner.email.toUpperCase());

    expect(byName.botName).toBe(bot.name);
    expect(byId.token).toMatch(/^sb_bot_/);
    expect(personal.token).toMatch(/^sb_pat_/);
    const all = await listAllTokensUnchecked();
    expect(all.find((t) => t.id === byName.item.id)).toMatchObject({ botName: bot.name, userEmail: null, name: "cli" });
    expect(all.find((t) => t.id === personal.item.id)).toMatchObject({ userEmail: owner.email, botName: null });
    expect(all.every((t) => !("hash" in t))).toBe(true);

    const revoked = await revokeTokenByPrefixUnchecked(byName.item.prefix);
    expect(revoked.revokedAt).not.toBeNull();
    await expectAppError(revokeTokenByPrefixUnchecked("sb_bot_none0"), "not_found");
    await expectAppError(createBotTokenUnchecked("no such bot"), "not_found");
    await expectAppError(createPersonalTokenUnchecked("nobody@example.test"), "not_found");
  });

  it("refuses an ambiguous bot name", async () => {
    const first = await createOrganization();
    const second = await createOrganization();
    const name = `Same name ${Date.now()}`;
    await prisma.bot.update({ where: { id: first.bot.id }, data: { name } });
    await prisma.bot.update({ where: { id: second.bot.id }, data: { name } });

    const error = await expectAppError(createBotTokenUnchecked(name), "conflict");
    expect(error.message).toContain(first.bot.id);
  });
});
