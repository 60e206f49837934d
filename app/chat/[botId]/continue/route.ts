// POST /chat/<botId>/continue — a share's viewer continues the shared conversation in this web chat (form: share)
import { z } from "zod";
import { loadShareForRoute } from "@/app/share/[id]/load-share";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { readContactId, setContactId } from "@/lib/chat/contact-cookie";
import { findWebContact } from "@/lib/chat/queries";
import { continueSharedConversation } from "@/lib/continuations/mutations";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { idSchema, jsonErrorResponse, shareNotAvailableResponse } from "@/lib/http";
import { clientIp, consumeContinuation } from "@/lib/rate-limit";
import { SHARE_PUBLIC_ID_PATTERN } from "@/lib/shares/public-id";
import { parseOrThrow } from "@/lib/validation";

const formSchema = z.object({ share: z.string().regex(SHARE_PUBLIC_ID_PATTERN, "share must be a share link's id.") });

// The share page's button posts here rather than to /share/<id>: the viewer's web-chat cookie is
// scoped to this bot's chat path, so only here does it say which contact they already are. A POST
// (never a GET) so that a link unfurler or a prefetch never creates a conversation. The button
// posts with fetch (the share page's no-referrer policy would make a plain form's Origin "null")
// and asks for JSON: { url } of the chat to open; anything else gets a 303 to it.
export async function POST(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  // The contact cookie is the identity: another site must not continue conversations as the visitor.
  if (!isSameOriginRequest(request.headers, ownHosts(request.headers, env.APP_URL), "allow-non-browser")) return foreignOriginResponse();
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
    const form = parseOrThrow(formSchema, Object.fromEntries((await request.formData().catch(() => new FormData())).entries()));
    await consumeContinuation(clientIp(request.headers));
    // The link as this viewer may open it (visibility, revoked, expired), counted like the page's lookups.
    const share = await loadShareForRoute(form.share);
    if (share instanceof Response) return share;
    const cookieId = await readContactId(botId);
    const contact = cookieId ? await findWebContact(botId, cookieId) : null;
    const continuation = await continueSharedConversation(share.actor, { botId, contact });
    if (continuation.newContactExternalId) await setContactId(botId, continuation.newContactExternalId);
    const url = `/chat/${botId}?conversation=${continuation.conversationId}`;
    if (request.headers.get("accept")?.includes("application/json")) return Response.json({ url });
    return new Response(null, { status: 303, headers: { Location: url } });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return shareNotAvailableResponse();
    return jsonErrorResponse(error);
  }
}
