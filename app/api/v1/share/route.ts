import { authenticateRequest } from "@/lib/api/auth";
import { apiError, apiSuccess } from "@/lib/api/envelope";
import { withIdempotency } from "@/lib/api/idempotency";
import { idempotencyKeyFrom, readJsonBody, requestHash } from "@/lib/api/request";
import { authorizeApiConversation } from "@/lib/api/share-access";
import { toShareDto } from "@/lib/api/share-dto";
import { listSharesQuerySchema, parseCreateShareBody } from "@/lib/api/share-schemas";
import { createShareInTransaction } from "@/lib/shares/mutations";
import { listConversationShares } from "@/lib/shares/queries";
import { parseOrThrow } from "@/lib/validation";

// POST /api/v1/share — create a share (201), or return the active one with the same settings (200)
export async function POST(request: Request) {
  try {
    const idempotencyKey = idempotencyKeyFrom(request);
    const body = await readJsonBody(request);
    const input = parseCreateShareBody(body);
    const actor = await authenticateRequest(request);
    const user = await authorizeApiConversation(actor, input.conversationId, "share");
    const scope = idempotencyKey === null ? null : { actorKey: actor.tokenId, key: idempotencyKey, requestHash: requestHash(request, body) };
    return await withIdempotency(scope, async (tx) => {
      try {
        const { share, reused } = await createShareInTransaction(tx, user, input);
        return apiSuccess(
          { shareId: share.publicId, shareUrl: share.url, conversation: toShareDto(share) },
          reused ? 200 : 201,
        );
      } catch (error) {
        return apiError(error);
      }
    });
  } catch (error) {
    return apiError(error);
  }
}

// GET /api/v1/share?conversationId=… — every share of a conversation, newest first
export async function GET(request: Request) {
  try {
    const { searchParams } = new URL(request.url);
    const { conversationId } = parseOrThrow(listSharesQuerySchema, {
      conversationId: searchParams.get("conversationId") ?? undefined,
    });
    const actor = await authenticateRequest(request);
    const user = await authorizeApiConversation(actor, conversationId, "share");
    const shares = await listConversationShares(user, conversationId);
    return apiSuccess(shares.map(toShareDto));
  } catch (error) {
    return apiError(error);
  }
}
