import "server-only";
import { timingSafeEqual } from "node:crypto";
import { memberSelect, toUserActor, type UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashToken, TOKEN_PATTERN } from "@/lib/tokens/format";

/**
 * Who calls the REST API: a bot token acts for one bot of one organization; a personal token acts
 * for its member, with their roles.
 */
export type ApiActor =
  | { kind: "bot"; tokenId: string; botId: string; organizationId: string; name: string }
  | { kind: "personal"; tokenId: string; user: UserActor };

/** lastUsedAt is a hint for owners, not an audit trail: write it at most once a minute per token. */
const LAST_USED_PRECISION_MS = 60_000;

const unauthorized = (message: string) => new AppError("unauthorized", message);

function bearerToken(request: Request): string {
  const header = request.headers.get("authorization");
  if (header === null || header.trim() === "") {
    throw unauthorized("Missing API token: send the header Authorization: Bearer <token>.");
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(header.trim());
  if (!match) throw unauthorized("Malformed Authorization header: expected Bearer followed by an sb_bot_… or sb_pat_… token.");
  if (!TOKEN_PATTERN.test(match[1])) throw unauthorized("Malformed API token: tokens look like sb_bot_… or sb_pat_… followed by 32 letters and digits.");
  return match[1];
}

function sameHash(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, "hex");
  const b = Buffer.from(computed, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The API actor of a request's `Authorization: Bearer <token>`, or a 401 AppError saying what is
 * wrong (missing, malformed, unknown or revoked). Tokens are looked up by their SHA-256 and the
 * hashes compared in constant time; the plain token is never stored.
 */
export async function authenticateRequest(request: Request): Promise<ApiActor> {
  const token = bearerToken(request);
  const hash = hashToken(token);
  const row = await prisma.apiToken.findUnique({
    where: { hash },
    select: {
      id: true,
      kind: true,
      name: true,
      hash: true,
      revokedAt: true,
      lastUsedAt: true,
      bot: { select: { id: true, organizationId: true } },
      user: { select: memberSelect },
    },
  });
  if (!row || !sameHash(row.hash, hash)) throw unauthorized("Invalid API token.");
  if (row.revokedAt) throw unauthorized("This API token has been revoked.");
  await touchLastUsed(row.id, row.lastUsedAt);

  if (row.kind === "BOT" && row.bot) {
    return { kind: "bot", tokenId: row.id, botId: row.bot.id, organizationId: row.bot.organizationId, name: row.name };
  }
  if (row.kind === "PERSONAL" && row.user) return { kind: "personal", tokenId: row.id, user: toUserActor(row.user) };
  throw unauthorized("Invalid API token.");
}

async function touchLastUsed(tokenId: string, lastUsedAt: Date | null) {
  const now = new Date();
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_PRECISION_MS) return;
  // Conditional, so concurrent requests of one token write it once.
  await prisma.apiToken.updateMany({
    where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_PRECISION_MS) } }] },
    data: { lastUsedAt: now },
  });
}

/**
 * The UserActor an API caller acts as in the domain functions (createShare, …), which all take a
 * member and authorize through lib/conversations/policy.ts.
 * - A personal token: its member, with their own roles.
 * - A bot token: a service actor that is OWNER of the bot's organization and of nothing else.
 *   Callers must also keep it to the bot's own conversations (assertBotScope): the policy
 *   functions know organizations, not bots.
 *   Its `userId` is the organization's first OWNER member, because rows a member creates point at
 *   a real User (Share.userId is a foreign key): shares made with a bot token belong to that
 *   owner, who sees and manages them in the UI. Audit events name the token ("<name> (bot token)").
 */
export async function userActorForApi(actor: ApiActor): Promise<UserActor> {
  if (actor.kind === "personal") return actor.user;
  const owner = await prisma.membership.findFirst({
    where: { organizationId: actor.organizationId, role: "OWNER" },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { user: { select: { id: true, email: true } }, organization: { select: { name: true } } },
  });
  if (!owner) throw new AppError("unprocessable", "The bot's organization has no owner to act for; add an owner first.");
  return {
    kind: "user",
    userId: owner.user.id,
    name: `${actor.name} (bot token)`,
    email: owner.user.email,
    memberships: [{ organizationId: actor.organizationId, organizationName: owner.organization.name, role: "OWNER" }],
  };
}

/**
 * A bot token acts on its own bot's conversations only: another bot's conversation (even in the
 * same organization) is "not found", as anything outside the caller's reach. Personal tokens pass.
 */
export function assertBotScope(actor: ApiActor, conversationBotId: string): void {
  if (actor.kind === "bot" && actor.botId !== conversationBotId) throw new AppError("not_found", "Conversation not found.");
}

/** A bot token of exactly this bot; anything else gets the same 404 as an unknown bot. */
export function assertBotToken(actor: ApiActor, botId: string): Extract<ApiActor, { kind: "bot" }> {
  if (actor.kind !== "bot" || actor.botId !== botId) throw new AppError("not_found", "Bot not found.");
  return actor;
}
