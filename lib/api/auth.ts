import "server-only";
import { timingSafeEqual } from "node:crypto";
import { memberSelect, toUserActor, type BotTokenActor, type UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApiTokenKind } from "@/lib/generated/prisma/client";
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
  // One statement for the token and its bot: the channel API's every message starts here
  // (Prisma's nested select would add one statement per relation, the user's even for a bot token).
  const [row] = await prisma.$queryRaw<TokenRow[]>`
    SELECT t."id", t."kind"::text AS "kind", t."name", t."hash", t."revokedAt", t."lastUsedAt", t."userId",
           b."id" AS "botId", b."organizationId" AS "botOrganizationId"
    FROM "ApiToken" t
    LEFT JOIN "Bot" b ON b."id" = t."botId"
    WHERE t."hash" = ${hash}`;
  if (!row || !sameHash(row.hash, hash)) throw unauthorized("Invalid API token.");
  if (row.revokedAt) throw unauthorized("This API token has been revoked.");
  await touchLastUsed(row.id, row.lastUsedAt);

  if (row.kind === "BOT" && row.botId && row.botOrganizationId) {
    return { kind: "bot_token", tokenId: row.id, botId: row.botId, organizationId: row.botOrganizationId, name: row.name };
  }
  const user = row.kind === "PERSONAL" && row.userId ? await prisma.user.findUnique({ where: { id: row.userId }, select: memberSelect }) : null;
  if (user) return { ...toUserActor(user), tokenId: row.id };
  throw unauthorized("Invalid API token.");
}

type TokenRow = {
  id: string;
  kind: ApiTokenKind;
  name: string;
  hash: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  userId: string | null;
  botId: string | null;
  botOrganizationId: string | null;
};

async function touchLastUsed(tokenId: string, lastUsedAt: Date | null) {
  const now = new Date();
  if (lastUsedAt && now.getTime() - lastUsedAt.getTime() < LAST_USED_PRECISION_MS) return;
  // Conditional, so concurrent requests of one token write it once.
  await prisma.apiToken.updateMany({
    where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_PRECISION_MS) } }] },
    data: { lastUsedAt: now },
  });
}
