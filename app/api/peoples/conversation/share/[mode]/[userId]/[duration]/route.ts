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
import { authenticateRequest, userActorForApi } from "@/lib/api/auth";
import { peoplesShareParamsSchema } from "@/lib/api/peoples-schemas";
import { prisma } from "@/lib/db";
import { AppError, toAppError } from "@/lib/errors";
import { createShare } from "@/lib/shares/mutations";
import { parseOrThrow } from "@/lib/validation";

type Params = { params: Promise<{ mode: string; userId: string; duration: string }> };

const MODES = { view: "VIEW", takeover: "TAKEOVER", auto: "AUTO" } as const;

function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json({ error: appError.message }, { status: appError.status, headers: { "Cache-Control": "no-store" } });
}

export async function GET(request: Request, { params }: Params) {
  try {
    const path = await params;
    // Modes are matched case-insensitively, as the platform this endpoint mirrors does.
    const { mode, user_id: userId, duration } = parseOrThrow(peoplesShareParamsSchema, {
      mode: path.mode.toLowerCase(),
      user_id: path.userId,
      duration: path.duration,
    });
    const actor = await authenticateRequest(request);
    if (actor.kind !== "bot") throw new AppError("unauthorized", "This endpoint needs a bot token (sb_bot_…).");

    const conversation = await prisma.conversation.findFirst({
      where: { botId: actor.botId, contact: { botId: actor.botId, externalId: userId } },
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    if (!conversation) throw new AppError("not_found", "No conversation found for this user_id.");

    const { share } = await createShare(await userActorForApi(actor), {
      conversationId: conversation.id,
      settings: { mode: MODES[mode], validityHours: duration, shareType: "FULL", visibility: "PUBLIC" },
    });
    return Response.json({ Url: share.url }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
