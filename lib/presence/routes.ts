import "server-only";
import type { z } from "zod";
import type { Actor, ContactActor } from "@/lib/auth/actor";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { readContactId } from "@/lib/chat/contact-cookie";
import { findContactConversation, findWebContact } from "@/lib/chat/queries";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { conversationSignalStream } from "@/lib/events/signals";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { readJsonBodyLimited } from "@/lib/http/read-body";
import { reportOperatorTyping } from "@/lib/presence/mutations";
import { findOperatorSession } from "@/lib/presence/queries";
import { MAX_PRESENCE_BODY_BYTES, typingBodySchema } from "@/lib/presence/schemas";
import { consumePresenceReport } from "@/lib/rate-limit";
import { requireTakeoverSecret } from "@/lib/takeover/cookie";
import { findActiveSession } from "@/lib/takeover/queries";
import { parseOrThrow } from "@/lib/validation";

// The route handlers of typing and read state, shared by the web chat (/chat/<botId>/…), the
// share page (/share/<id>/typing) and the owner's console (/conversations/<id>/typing).

/** Who reports: what identifies them to the rate limit (one contact, one takeover session). */
type Party = { limitKey: string };

/**
 * A presence report: same-origin only (a cookie is the sender's identity), then authenticate,
 * count against the sender's limit, read at most a few hundred bytes, parse, act; 204.
 */
export async function presenceReportResponse<P extends Party, S extends z.ZodType>(
  request: Request,
  { authenticate, schema, act }: { authenticate: () => Promise<P>; schema: S; act: (party: P, body: z.output<S>) => Promise<unknown> },
): Promise<Response> {
  if (!isSameOriginRequest(request.headers, ownHosts(request.headers, env.APP_URL), "allow-non-browser")) return foreignOriginResponse();
  try {
    const party = await authenticate();
    await consumePresenceReport(party.limitKey);
    const body = parseOrThrow(schema, await readJsonBodyLimited(request, MAX_PRESENCE_BODY_BYTES));
    await act(party, body);
    return new Response(null, { status: 204 });
  } catch (error) {
    return jsonErrorResponse(error);
  }
}

/** The web-chat contact of this request's cookie and the conversation they talk in now; "not found" without either. */
export async function webChatParty(rawBotId: string): Promise<Party & { contact: ContactActor; conversationId: string }> {
  const botId = idSchema.safeParse(rawBotId);
  const cookieId = botId.success ? await readContactId(botId.data) : null;
  const contact = botId.success && cookieId ? await findWebContact(botId.data, cookieId) : null;
  const conversation = contact ? await findContactConversation(contact) : null;
  if (!contact || !conversation) throw new AppError("not_found", "Conversation not found.");
  return { contact, conversationId: conversation.id, limitKey: `contact:${contact.contactId}` };
}

/** The operator holding the conversation through this browser's takeover cookie; refused otherwise. */
async function operatorParty(actor: Actor, conversationId: string) {
  const secret = await requireTakeoverSecret(conversationId);
  const session = await findOperatorSession(actor, conversationId, secret);
  return { secret, limitKey: `takeover:${session.id}` };
}

/** POST …/typing from the operator's console: the contact sees "<operator> is typing…". */
export function operatorTypingResponse(request: Request, actor: Actor, conversationId: string): Promise<Response> {
  return presenceReportResponse(request, {
    authenticate: () => operatorParty(actor, conversationId),
    schema: typingBodySchema,
    act: ({ secret }, { typing }) => reportOperatorTyping(actor, { conversationId, secret, typing }),
  });
}

/**
 * GET …/typing for the operator's console: the contact's typing, live, for as long as this
 * browser holds the conversation (a view-only reader has no session and gets no stream).
 */
export async function contactTypingStream(request: Request, actor: Actor, conversationId: string): Promise<Response> {
  try {
    const { secret } = await operatorParty(actor, conversationId);
    return conversationSignalStream(request, conversationId, {
      pick: (signal) => signal.from === "contact",
      accept: async () => (await findActiveSession(conversationId, secret)) !== null,
    });
  } catch (error) {
    return jsonErrorResponse(error);
  }
}
