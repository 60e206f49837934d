// GET /api/peoples/conversation/share/<mode>/<user_id>/<duration> — share a contact's latest
// conversation in one call (PRODUCT.md §5.1).
//
// A compatibility endpoint for integrators coming from another chatbot platform, so it keeps that
// platform's shapes rather than the v1 envelope:
//   Authorization: Bearer sb_bot_…   a bot token; the contact and conversation are that bot's
//   mode      view | takeover | auto
//   user_id   the contact's id on the bot's channel (Contact.externalId)
//   duration  validity in whole hours, 1–87600
//   200 {"Url": "<absolute share url>"}  a FULL, PUBLIC link; the same request while that link is
//                                        active returns the same link
//   400 / 401 / 404 {"error": "<message>"}
// It is a GET that creates a share (the other platform's contract); nothing is taken over here.
import { z } from "zod";
import { peoplesShareParamsSchema } from "@/lib/api/peoples-schemas";
import { apiRoute } from "@/lib/api/route";
import { findContactConversation } from "@/lib/conversations/queries";
import { AppError, toAppError } from "@/lib/errors";
import { createShare } from "@/lib/shares/mutations";

const MODES = { view: "VIEW", takeover: "TAKEOVER", auto: "AUTO" } as const;

function errorResponse(error: unknown, requestId: string): Response {
  const appError = toAppError(error);
  return Response.json(
    { error: appError.message },
    { status: appError.status, headers: { "Cache-Control": "no-store", "X-Request-Id": requestId } },
  );
}

// Modes are matched case-insensitively, as the platform this endpoint mirrors does.
const paramsSchema = z
  .object({ mode: z.string(), userId: z.string(), duration: z.string() })
  .transform((path) => ({ mode: path.mode.toLowerCase(), user_id: path.userId, duration: path.duration }))
  .pipe(peoplesShareParamsSchema);

export const GET = apiRoute({ params: paramsSchema, errorResponse }, async ({ actor, params, requestId }) => {
  if (actor.kind !== "bot_token") throw new AppError("unauthorized", "This endpoint needs a bot token (sb_bot_…).");
  const conversation = await findContactConversation(actor, params.user_id);
  if (!conversation) throw new AppError("not_found", "No conversation found for this user_id.");
  const { share } = await createShare(actor, {
    conversationId: conversation.id,
    settings: { mode: MODES[params.mode], validityHours: params.duration, shareType: "FULL", visibility: "PUBLIC" },
  });
  return Response.json({ Url: share.url }, { headers: { "Cache-Control": "no-store", "X-Request-Id": requestId } });
});
