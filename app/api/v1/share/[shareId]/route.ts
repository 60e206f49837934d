import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { toShareDto } from "@/lib/api/share-dto";
import { applySharePatch, parseUpdateShareBody, shareParamsSchema } from "@/lib/api/share-schemas";
import { AppError } from "@/lib/errors";
import { revokeShare, updateShare } from "@/lib/shares/mutations";
import { getManagedShare } from "@/lib/shares/queries";

// GET /api/v1/share/{shareId} — one share, with its live counters and status
export const GET = apiRoute({ params: shareParamsSchema }, async ({ actor, params, success }) => {
  return success(toShareDto(await getManagedShare(actor, params.shareId)));
});

// PATCH /api/v1/share/{shareId} — change an active share's settings; the link stays the same
export const PATCH = apiRoute({ params: shareParamsSchema, body: z.unknown() }, async ({ actor, params, body, success }) => {
  const patch = parseUpdateShareBody(body);
  const share = await getManagedShare(actor, params.shareId);
  if (share.status !== "active") throw new AppError("conflict", `This link is ${share.status}; create a new one.`);
  return success(toShareDto(await updateShare(actor, { shareId: share.id, settings: applySharePatch(share, patch) })));
});

// DELETE /api/v1/share/{shareId} — revoke the link for good (idempotent); answers the revoked share
export const DELETE = apiRoute({ params: shareParamsSchema }, async ({ actor, params, success }) => {
  const share = await getManagedShare(actor, params.shareId);
  return success(toShareDto(await revokeShare(actor, { shareId: share.id })));
});
