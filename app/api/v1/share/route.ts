import { z } from "zod";
import { withIdempotency } from "@/lib/api/idempotency";
import { idempotencyKeyFrom, requestHash } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { toShareDto } from "@/lib/api/share-dto";
import { listSharesQuerySchema, parseCreateShareBody } from "@/lib/api/share-schemas";
import { createShareInTransaction } from "@/lib/shares/mutations";
import { authorizeConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { listShares } from "@/lib/shares/list";

// POST /api/v1/share — create a share (201), or return the active one with the same settings (200)
export const POST = apiRoute({ body: z.unknown() }, async ({ request, actor, body, success, failure }) => {
  const idempotencyKey = idempotencyKeyFrom(request);
  const input = parseCreateShareBody(body);
  const scope = idempotencyKey === null ? null : { actorKey: actor.tokenId, key: idempotencyKey, requestHash: requestHash(request, body) };
  return withIdempotency(scope, async (tx) => {
    try {
      const { share, reused } = await createShareInTransaction(tx, actor, input);
      return success({ shareId: share.publicId, shareUrl: share.url, conversation: toShareDto(share) }, reused ? 200 : 201);
    } catch (error) {
      return failure(error);
    }
  });
});

// GET /api/v1/share[?conversationId=…][&limit=…][&cursor=…] — the shares the caller manages, newest first, a page at a time
export const GET = apiRoute({ query: listSharesQuerySchema }, async ({ actor, query, success }) => {
  const { conversationId, limit, cursor } = query;
  // A conversation the caller may not manage answers 404/403 rather than an empty page.
  if (conversationId) await authorizeConversation(prisma, actor, conversationId, "share");
  const page = await listShares(actor, { filter: { conversationId }, limit, cursor });
  return success(page.shares.map(toShareDto), 200, { nextCursor: page.nextCursor });
});
