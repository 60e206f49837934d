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
import { authenticateRequest, userActorForApi } from "@/lib/api/auth";
import { prisma } from "@/lib/db";
import { AppError, toAppError } from "@/lib/errors";
import { createShare } from "@/lib/shares/mutations";
import { MAX_VALIDITY_HOURS } from "@/lib/shares/schemas";
import { parseOrThrow } from "@/lib/validation";

type Params = { params: Promise<{ mode: string; userId: string; duration: string }> };

const MODES = { view: "VIEW", takeover: "TAKEOVER", auto: "AUTO" } as const;

const paramsSchema = z.object({
  mode: z
    .string()
    .transform((mode) => mode.toLowerCase())
    .pipe(z.enum(["view", "takeover", "auto"], { error: "mode must be view, takeover or auto." })),
  userId: z
    .string()
    .min(1, "user_id is required.")
    .max(200, "user_id must be at most 200 characters.")
    // A %00 in the path decodes to NUL, which PostgreSQL text cannot hold: the lookup would fail.
    .refine((userId) => !userId.includes("\u0000"), "user_id must not contain NUL characters."),
  duration: z
    .string()
    .regex(/^[0-9]{1,6}$/, "duration must be a whole number of hours.")
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, "duration must be at least 1 hour.")
        .max(MAX_VALIDITY_HOURS, `duration must be at most ${MAX_VALIDITY_HOURS} hours.`),
    ),
});

function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  return Response.json({ error: appError.message }, { status: appError.status, headers: { "Cache-Control": "no-store" } });
}

export async function GET(request: Request, { params }: Params) {
  try {
    const { mode, userId, duration } = parseOrThrow(paramsSchema, await params);
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
