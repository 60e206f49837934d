import "server-only";
import { memberOrNotFound, type Actor } from "@/lib/auth/actor";
import { assertCanManageBotTokens } from "@/lib/tokens/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApiTokenKind, Prisma } from "@/lib/generated/prisma/client";
import { listBotTokensSchema } from "@/lib/tokens/schemas";
import { parseOrThrow } from "@/lib/validation";

/** A token as lists show it: never its hash (nor, of course, the token). */
export type TokenListItem = {
  id: string;
  kind: ApiTokenKind;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** A token in the CLI's list, with what it acts for. */
export type SystemTokenListItem = TokenListItem & { botName: string | null; userEmail: string | null };

export const tokenListSelect = {
  id: true,
  kind: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} satisfies Prisma.ApiTokenSelect;

// Active tokens first, newest first within each group.
const listOrder: Prisma.ApiTokenOrderByWithRelationInput[] = [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }];

/** The signed-in member's personal tokens. */
export async function listPersonalTokens(actor: Actor): Promise<TokenListItem[]> {
  if (actor.kind !== "user") return [];
  return prisma.apiToken.findMany({
    where: { kind: "PERSONAL", userId: actor.userId },
    orderBy: listOrder,
    select: tokenListSelect,
  });
}

/** A bot's tokens, for owners and admins of its organization (404 for anyone outside it). */
export async function listBotTokens(actor: Actor, input: { botId: string }): Promise<TokenListItem[]> {
  const { botId } = parseOrThrow(listBotTokensSchema, input);
  const member = memberOrNotFound(actor, "Bot");
  const bot = await prisma.bot.findUnique({ where: { id: botId }, select: { organizationId: true } });
  if (!bot) throw new AppError("not_found", "Bot not found.");
  assertCanManageBotTokens(member, bot.organizationId);
  return prisma.apiToken.findMany({ where: { kind: "BOT", botId }, orderBy: listOrder, select: tokenListSelect });
}

/** Every token of the installation (the `sb token list` command; no actor: run by the operator of the server). */
export async function listAllTokensUnchecked(): Promise<SystemTokenListItem[]> {
  const rows = await prisma.apiToken.findMany({
    orderBy: listOrder,
    select: { ...tokenListSelect, bot: { select: { name: true } }, user: { select: { email: true } } },
  });
  return rows.map(({ bot, user, ...token }) => ({ ...token, botName: bot?.name ?? null, userEmail: user?.email ?? null }));
}
