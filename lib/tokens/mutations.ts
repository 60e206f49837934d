import "server-only";
import { memberOrNotFound, type Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApiTokenKind, Prisma } from "@/lib/generated/prisma/client";
import { displayPrefix, hashToken, newPlainToken } from "@/lib/tokens/format";
import { assertCanManageBotTokens } from "@/lib/tokens/policy";
import { tokenListSelect, type TokenListItem } from "@/lib/tokens/queries";
import {
  createBotTokenSchema,
  createPersonalTokenSchema,
  revokeTokenSchema,
  type CreateBotTokenInput,
  type CreatePersonalTokenInput,
  type RevokeTokenInput,
} from "@/lib/tokens/schemas";
import { parseOrThrow } from "@/lib/validation";

/** A new token: `token` is the only time the plain token exists outside its holder. */
export type CreatedToken = { token: string; item: TokenListItem };

const SYSTEM_ACTOR: AuditActor = { type: "system", name: "Switchboard CLI" };
const DEFAULT_CLI_NAME = "Created from the command line";

// The displayed prefix has 5 random characters, so two tokens may (rarely) share one; the hash
// never repeats. A unique violation on the prefix just draws another token.
const INSERT_ATTEMPTS = 5;

type NewToken = { kind: ApiTokenKind; name: string; botId?: string; userId?: string };

async function insertToken(
  tx: Prisma.TransactionClient,
  token: NewToken,
): Promise<CreatedToken> {
  for (let attempt = 1; ; attempt += 1) {
    const plain = newPlainToken(token.kind);
    const prefix = displayPrefix(plain);
    // Postgres aborts the transaction on a failed insert, so test the prefix first.
    if (attempt < INSERT_ATTEMPTS && (await tx.apiToken.findUnique({ where: { prefix }, select: { id: true } }))) continue;
    const item = await tx.apiToken.create({
      data: { ...token, prefix, hash: hashToken(plain) },
      select: tokenListSelect,
    });
    return { token: plain, item };
  }
}

async function createBotTokenRow(
  bot: { id: string; organizationId: string },
  name: string,
  actor: AuditActor,
): Promise<CreatedToken> {
  return prisma.$transaction(async (tx) => {
    const created = await insertToken(tx, { kind: "BOT", name, botId: bot.id });
    await recordAuditEvent(tx, {
      organizationId: bot.organizationId,
      actor,
      action: "token.created",
      data: { tokenId: created.item.id, prefix: created.item.prefix, name, botId: bot.id },
    });
    return created;
  });
}

/** A token that acts for one bot. Owners and admins of the bot's organization only. */
export async function createBotToken(actor: Actor, input: CreateBotTokenInput): Promise<CreatedToken> {
  const { botId, name } = parseOrThrow(createBotTokenSchema, input);
  const member = memberOrNotFound(actor, "Bot");
  const bot = await prisma.bot.findUnique({ where: { id: botId }, select: { id: true, organizationId: true } });
  if (!bot) throw new AppError("not_found", "Bot not found.");
  assertCanManageBotTokens(member, bot.organizationId);
  return createBotTokenRow(bot, name, auditActorOf(member));
}

/** A token that acts for the signed-in member, with their roles. */
export async function createPersonalToken(actor: Actor, input: CreatePersonalTokenInput): Promise<CreatedToken> {
  const { name } = parseOrThrow(createPersonalTokenSchema, input);
  // Only a signed-in member in their browser: a token must not mint more tokens.
  if (actor.kind !== "user" || actor.tokenId) throw new AppError("unauthorized", "Please sign in.");
  return prisma.$transaction((tx) => insertToken(tx, { kind: "PERSONAL", name, userId: actor.userId }));
}

/**
 * Revokes a token for good (idempotent): a personal token by its owner, a bot token by the
 * owners and admins of the bot's organization. Anyone else gets 404.
 */
export async function revokeToken(actor: Actor, input: RevokeTokenInput): Promise<TokenListItem> {
  const { tokenId } = parseOrThrow(revokeTokenSchema, input);
  const member = memberOrNotFound(actor, "Token");
  const token = await prisma.apiToken.findUnique({
    where: { id: tokenId },
    select: { id: true, kind: true, userId: true, prefix: true, bot: { select: { id: true, organizationId: true } } },
  });
  if (!token) throw new AppError("not_found", "Token not found.");
  if (token.kind === "PERSONAL") {
    if (token.userId !== member.userId) throw new AppError("not_found", "Token not found.");
    return markRevoked(token.id);
  }
  if (!token.bot) throw new AppError("not_found", "Token not found.");
  assertCanManageBotTokens(member, token.bot.organizationId);
  return markRevoked(token.id, { organizationId: token.bot.organizationId, botId: token.bot.id, prefix: token.prefix, actor: auditActorOf(member) });
}

async function markRevoked(
  tokenId: string,
  audit?: { organizationId: string; botId: string; prefix: string; actor: AuditActor },
): Promise<TokenListItem> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.apiToken.updateMany({ where: { id: tokenId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count === 1 && audit) {
      await recordAuditEvent(tx, {
        organizationId: audit.organizationId,
        actor: audit.actor,
        action: "token.revoked",
        data: { tokenId, prefix: audit.prefix, botId: audit.botId },
      });
    }
    return tx.apiToken.findUniqueOrThrow({ where: { id: tokenId }, select: tokenListSelect });
  });
}

// The `sb` command line's functions. They check no actor, and say so in their names: whoever runs
// the CLI already holds the database credentials, so they are the server's operator. Only
// scripts/sb.ts (and tests) call them.

/** A bot token for the bot with this id, or the only bot with this name. */
export async function createBotTokenUnchecked(
  botIdOrName: string,
  name = DEFAULT_CLI_NAME,
): Promise<CreatedToken & { botId: string; botName: string }> {
  const tokenName = parseOrThrow(createPersonalTokenSchema, { name }).name;
  const bots = await prisma.bot.findMany({
    where: { OR: [{ id: botIdOrName }, { name: botIdOrName }] },
    select: { id: true, name: true, organizationId: true, organization: { select: { name: true } } },
    take: 10,
  });
  const bot = bots.find((candidate) => candidate.id === botIdOrName) ?? (bots.length === 1 ? bots[0] : undefined);
  if (!bot) {
    if (bots.length > 1) {
      const which = bots.map((candidate) => `${candidate.id} (${candidate.organization.name})`).join(", ");
      throw new AppError("conflict", `Several bots are named "${botIdOrName}"; pass one of their ids: ${which}.`);
    }
    throw new AppError("not_found", `No bot has the id or name "${botIdOrName}".`);
  }
  const created = await createBotTokenRow(bot, tokenName, SYSTEM_ACTOR);
  return { ...created, botId: bot.id, botName: bot.name };
}

/** A personal token for the user with this email. */
export async function createPersonalTokenUnchecked(email: string, name = DEFAULT_CLI_NAME): Promise<CreatedToken> {
  const tokenName = parseOrThrow(createPersonalTokenSchema, { name }).name;
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() }, select: { id: true } })
    ?? await prisma.user.findUnique({ where: { email: email.trim() }, select: { id: true } });
  if (!user) throw new AppError("not_found", `No user has the email "${email}".`);
  return prisma.$transaction((tx) => insertToken(tx, { kind: "PERSONAL", name: tokenName, userId: user.id }));
}

/** Revokes the token with this displayed prefix (idempotent). */
export async function revokeTokenByPrefixUnchecked(prefix: string): Promise<TokenListItem> {
  const token = await prisma.apiToken.findUnique({
    where: { prefix: prefix.trim() },
    select: { id: true, prefix: true, bot: { select: { id: true, organizationId: true } } },
  });
  if (!token) throw new AppError("not_found", `No token has the prefix "${prefix}".`);
  return markRevoked(
    token.id,
    token.bot ? { organizationId: token.bot.organizationId, botId: token.bot.id, prefix: token.prefix, actor: SYSTEM_ACTOR } : undefined,
  );
}
