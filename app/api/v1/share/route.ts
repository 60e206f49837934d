import { z } from "zod";
import { withIdempotency } from "@/lib/api/idempotency";
import { idempotencyKeyFrom, requestHash } from "@/lib/api/request";
import { apiRoute } from "@/lib/api/route";
import { toShareDto } from "@/lib/api/share-dto";
import { listSharesQuerySchema, parseCreateShareBody } from "@/lib/api/share-schemas";
import { createShareInTransaction } from "@/lib/shares/mutations";
import { listConversationShares } from "@/lib/shares/queries";

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

// GET /api/v1/share?conversationId=… — every share of a conversation, newest first
export const GET = apiRoute({ query: listSharesQuerySchema }, async ({ actor, query, success }) => {
  const shares = await listConversationShares(actor, query.conversationId);
  return success(shares.map(toShareDto));
});
