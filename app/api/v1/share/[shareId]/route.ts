import { authenticateRequest } from "@/lib/api/auth";
import { apiError, apiSuccess } from "@/lib/api/envelope";
import { readJsonBody } from "@/lib/api/request";
import { loadApiShare } from "@/lib/api/share-access";
import { toShareDto } from "@/lib/api/share-dto";
import { applySharePatch, parseUpdateShareBody, shareParamsSchema } from "@/lib/api/share-schemas";
import { AppError } from "@/lib/errors";
import { revokeShare, updateShare } from "@/lib/shares/mutations";
import { parseOrThrow } from "@/lib/validation";

type Context = { params: Promise<{ shareId: string }> };

async function publicIdFrom(context: Context): Promise<string> {
  return parseOrThrow(shareParamsSchema, await context.params).shareId;
}

// GET /api/v1/share/{shareId} — one share, with its live counters and status
export async function GET(request: Request, context: Context) {
  try {
    const publicId = await publicIdFrom(context);
    const actor = await authenticateRequest(request);
    const { share } = await loadApiShare(actor, publicId);
    return apiSuccess(toShareDto(share));
  } catch (error) {
    return apiError(error);
  }
}

// PATCH /api/v1/share/{shareId} — change an active share's settings; the link stays the same
export async function PATCH(request: Request, context: Context) {
  try {
    const publicId = await publicIdFrom(context);
    const patch = parseUpdateShareBody(await readJsonBody(request));
    const actor = await authenticateRequest(request);
    const { user, share } = await loadApiShare(actor, publicId);
    if (share.status !== "active") throw new AppError("conflict", `This link is ${share.status}; create a new one.`);
    const updated = await updateShare(user, { shareId: share.id, settings: applySharePatch(share, patch) });
    return apiSuccess(toShareDto(updated));
  } catch (error) {
    return apiError(error);
  }
}

// DELETE /api/v1/share/{shareId} — revoke the link for good (idempotent); answers the revoked share
export async function DELETE(request: Request, context: Context) {
  try {
    const publicId = await publicIdFrom(context);
    const actor = await authenticateRequest(request);
    const { user, share } = await loadApiShare(actor, publicId);
    const revoked = await revokeShare(user, { shareId: share.id });
    return apiSuccess(toShareDto(revoked));
  } catch (error) {
    return apiError(error);
  }
}
