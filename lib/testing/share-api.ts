/**
 * Test helpers for the v1 share API: call the route handlers as Next does, with a Request and a
 * params Promise, and read the envelope back. Each call seeds nothing; pair with fixtures.ts.
 */
import { expect } from "vitest";
import * as collection from "@/app/api/v1/share/route";
import * as single from "@/app/api/v1/share/[shareId]/route";
import { prisma } from "@/lib/db";
import { createBotTokenUnchecked, createPersonalTokenUnchecked } from "@/lib/tokens/mutations";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import type { MemberRole } from "@/lib/generated/prisma/client";

export const BASE = "http://localhost/api/v1/share";

export type CallOptions = {
  /** A bearer token, or null for no Authorization header. */
  token: string | null;
  headers?: Record<string, string>;
  /** A value to JSON-encode, or a string sent as is. */
  body?: unknown;
};

function request(url: string, method: string, { token, headers = {}, body }: CallOptions): Request {
  return new Request(url, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

const params = (shareId: string) => ({ params: Promise.resolve({ shareId }) });

export const shareApi = {
  create: (options: CallOptions) => collection.POST(request(BASE, "POST", options)),
  list: (conversationId: string | null, options: CallOptions) =>
    collection.GET(
      request(conversationId === null ? BASE : `${BASE}?conversationId=${encodeURIComponent(conversationId)}`, "GET", options),
    ),
  /** `GET /api/v1/share` with any query (limit, cursor, conversationId). */
  listPage: (query: Record<string, string>, options: CallOptions) => collection.GET(request(`${BASE}?${new URLSearchParams(query)}`, "GET", options)),
  get: (shareId: string, options: CallOptions) =>
    single.GET(request(`${BASE}/${encodeURIComponent(shareId)}`, "GET", options), params(shareId)),
  update: (shareId: string, options: CallOptions) =>
    single.PATCH(request(`${BASE}/${encodeURIComponent(shareId)}`, "PATCH", options), params(shareId)),
  revoke: (shareId: string, options: CallOptions) =>
    single.DELETE(request(`${BASE}/${encodeURIComponent(shareId)}`, "DELETE", options), params(shareId)),
};

/** An organization whose owner has a personal token, its bot a bot token, and a conversation of three messages. */
export async function apiOrganization() {
  const org = await createOrganization();
  const { conversation, messageIds } = await createConversation(org.bot.id, [{}, {}, {}]);
  const ownerToken = (await createPersonalTokenUnchecked(org.owner.email)).token;
  const botToken = (await createBotTokenUnchecked(org.bot.id)).token;
  return { ...org, conversation, messageIds, ownerToken, botToken };
}

/** A member of the organization with this role and a personal token. */
export async function memberWithToken(organizationId: string, role: MemberRole) {
  const member = await createMember(organizationId, role);
  return { ...member, token: (await createPersonalTokenUnchecked(member.email)).token };
}

/**
 * Rows a share request may write in these organizations: none may change when it fails. Scoped,
 * because on a shared PostgreSQL other test files write at the same time.
 */
export async function shareTableCounts(organizationIds: string[]) {
  // One round trip: property tests count after each of hundreds of requests.
  const [counts] = await prisma.$queryRaw<{ shares: number; shareMessages: number; idempotencyRecords: number; auditEvents: number }[]>`
    WITH org_shares AS (
      SELECT s.id FROM "Share" s
      JOIN "Conversation" c ON c.id = s."conversationId"
      JOIN "Bot" b ON b.id = c."botId"
      WHERE b."organizationId" = ANY(${organizationIds})
    ), org_tokens AS (
      SELECT t.id FROM "ApiToken" t
      LEFT JOIN "Bot" b ON b.id = t."botId"
      WHERE b."organizationId" = ANY(${organizationIds})
         OR t."userId" IN (SELECT m."userId" FROM "Membership" m WHERE m."organizationId" = ANY(${organizationIds}))
    )
    SELECT
      (SELECT count(*) FROM org_shares)::int AS "shares",
      (SELECT count(*) FROM "ShareMessage" WHERE "shareId" IN (SELECT id FROM org_shares))::int AS "shareMessages",
      (SELECT count(*) FROM "IdempotencyRecord" WHERE "actorKey" IN (SELECT id FROM org_tokens))::int AS "idempotencyRecords",
      (SELECT count(*) FROM "AuditEvent" WHERE "organizationId" = ANY(${organizationIds}))::int AS "auditEvents"
  `;
  return counts;
}

export type Envelope<T = unknown> =
  | { success: true; data: T; meta: { timestamp: string; requestId: string; nextCursor?: string | null } }
  | {
      success: false;
      error: { code: string; message: string; details: Record<string, string[]> | null };
      meta: { timestamp: string; requestId: string };
    };

export async function readEnvelope<T = unknown>(response: Response): Promise<Envelope<T>> {
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as Envelope<T>;
}
