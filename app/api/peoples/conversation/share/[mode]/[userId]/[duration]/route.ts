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
//                                        active returns the same link, valid for at least
//                                        duration hours from this request
//   400 / 401 / 404 {"error": "<message>"}
// It is a GET that creates a share (the other platform's contract); nothing is taken over here.
// A path with a missing or extra segment is answered by ../../../[[...rest]]/route.ts.
import { z } from "zod";
import { peoplesShareParamsSchema } from "@/lib/api/peoples-schemas";
import { peoplesErrorResponse, requireBotToken } from "@/lib/api/peoples-share";
import { apiRoute } from "@/lib/api/route";
import { findContactConversation } from "@/lib/conversations/queries";
import { AppError } from "@/lib/errors";
import { createShare } from "@/lib/shares/mutations";

const MODES = { view: "VIEW", takeover: "TAKEOVER", auto: "AUTO" } as const;

// Modes are matched case-insensitively, as the platform this endpoint mirrors does.
const paramsSchema = z
  .object({ mode: z.string(), userId: z.string(), duration: z.string() })
  .transform((path) => ({ mode: path.mode.toLowerCase(), user_id: path.userId, duration: path.duration }))
  .pipe(peoplesShareParamsSchema);

export const GET = apiRoute({ params: paramsSchema, errorResponse: peoplesErrorResponse }, async ({ actor: apiActor, params, requestId }) => {
  const actor = requireBotToken(apiActor);
  const conversation = await findContactConversation(actor, params.user_id);
  if (!conversation) throw new AppError("not_found", "No conversation found for this user_id.");
  const { share } = await createShare(
    actor,
    {
      conversationId: conversation.id,
      settings: { mode: MODES[params.mode], validityHours: params.duration, shareType: "FULL", visibility: "PUBLIC" },
    },
    // The duration counts from this call, also when the link already exists.
    { extendReused: true },
  );
  return Response.json({ Url: share.url }, { headers: { "Cache-Control": "no-store", "X-Request-Id": requestId } });
});

// HEAD is answered on its own: Next would otherwise run GET for it, and a HEAD (which link
// checkers and monitors send freely) would mint or extend a link. It cannot mirror GET honestly
// without doing what GET does, so after the same authentication (401 tells a bad token) it
// answers 405 with `Allow: GET` and looks at nothing else.
export const HEAD = apiRoute({ errorResponse: peoplesErrorResponse }, async ({ actor, requestId }) => {
  requireBotToken(actor);
  return new Response(null, {
    status: 405,
    headers: { Allow: "GET", "Cache-Control": "no-store", "X-Request-Id": requestId },
  });
});
