"use server";

import { z } from "zod";
import { publicAction } from "@/lib/action";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/http";
import { clearTakeoverSecret, requireTakeoverSecret, setTakeoverSecret } from "@/lib/takeover/cookie";
import type { ShareLinkActor } from "@/lib/auth/actor";
import { handBackConversation, operatorTextSchema, requestControl, sendOperatorMessage, takeOverConversation } from "@/lib/takeover/mutations";
import { operatorNameSchema } from "@/lib/takeover/operator-name";
import { lookUpShare } from "./load-share";

// The share link is the actor here: openShare (through lookUpShare, which counts misses) turns "this viewer holds this link" into a
// ShareLinkActor, and the takeover mutations authorize it like any other caller ("operate" needs a
// takeover link of the whole conversation). A link that is not available is the same 404 always.

const NOT_AVAILABLE = "This link is not available.";

/** The link acting for this request's viewer (a lookup counted like the page's), or the "not available" answer. */
async function openLink(publicId: string) {
  const { share, retryAfterSeconds } = await lookUpShare(publicId);
  if (retryAfterSeconds) throw new AppError("rate_limited", "Too many requests. Try again later.", undefined, retryAfterSeconds);
  if (!share) throw new AppError("not_found", NOT_AVAILABLE);
  return share.actor;
}

/** Refusals other than "your session ended" read like any unavailable link (a view link, a partial one). */
function asUnavailable(error: unknown): never {
  if (error instanceof AppError && error.code === "not_found") throw new AppError("not_found", NOT_AVAILABLE);
  throw error;
}

const linkSchema = z.object({ publicId: idSchema });

// An empty field is "no name": members have theirs on their account.
const namedSchema = linkSchema.extend({
  operatorName: z.preprocess((value) => (value === "" ? undefined : value), operatorNameSchema.optional()),
});

/** Operators are never nameless: someone who opened the link without signing in names themselves. */
function requireAnonymousName(link: ShareLinkActor, operatorName: string | undefined): string | undefined {
  if (link.viewer.kind !== "user" && !operatorName) {
    throw new AppError("bad_request", "Enter your name.", { operatorName: ["Enter your name."] });
  }
  return operatorName;
}

/** Take over: the conversation becomes operator-controlled and this browser holds the session. */
export const takeOverThroughShareAction = publicAction(
  namedSchema.extend({
    // "1" when the page of a take-over-on-open link submits by itself after loading.
    onOpen: z.preprocess((value) => value === "1" || value === true, z.boolean()),
  }),
  async (input) => {
    const link = await openLink(input.publicId);
    const { secret, operatorName, sessionId } = await takeOverConversation(link, {
      conversationId: link.conversationId,
      operatorName: requireAnonymousName(link, input.operatorName),
      onOpen: input.onOpen,
    }).catch(asUnavailable);
    await setTakeoverSecret(link.conversationId, secret);
    return { operatorName, sessionId };
  },
);

/** Request control: the operator holding the conversation sees who asks, live; nothing moves. */
export const requestControlThroughShareAction = publicAction(namedSchema, async (input) => {
  const link = await openLink(input.publicId);
  await requestControl(link, { conversationId: link.conversationId, operatorName: requireAnonymousName(link, input.operatorName) }).catch(asUnavailable);
  return null;
});

/** Hand back: ends this browser's takeover session and returns control to the bot. */
export const handBackThroughShareAction = publicAction(linkSchema, async (input) => {
  const link = await openLink(input.publicId);
  const secret = await requireTakeoverSecret(link.conversationId);
  await handBackConversation(link, { conversationId: link.conversationId, secret }).catch(asUnavailable);
  await clearTakeoverSecret(link.conversationId);
  return null;
});

/** An operator message to the contact, checked against this browser's takeover session. */
export const sendOperatorMessageThroughShareAction = publicAction(linkSchema.extend({ text: operatorTextSchema }), async (input) => {
  const link = await openLink(input.publicId);
  const secret = await requireTakeoverSecret(link.conversationId);
  await sendOperatorMessage(link, { conversationId: link.conversationId, secret, text: input.text }).catch(asUnavailable);
  return null;
});
