import "server-only";
import { timingSafeEqual } from "node:crypto";
import { memberSelect, toUserActor, type BotTokenActor, type UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { hashToken, TOKEN_PATTERN } from "@/lib/tokens/format";

/**
 * Who calls the REST API: a bot token acts for one bot of one organization (a BotTokenActor); a
 * personal token acts as its member, with their roles (a UserActor carrying the token's id). Both
 * pass the same policies as every other caller.
 */
export type ApiActor = (UserActor & { tokenId: string }) | BotTokenActor;

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
    return { kind: "bot_token", tokenId: row.id, botId: row.bot.id, organizationId: row.bot.organizationId, name: row.name };
  }
  if (row.kind === "PERSONAL" && row.user) return { ...toUserActor(row.user), tokenId: row.id };
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
