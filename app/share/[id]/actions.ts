"use server";

import { z } from "zod";
import { publicAction } from "@/lib/action";
import { AppError } from "@/lib/errors";
import { openShare } from "@/lib/shares/public";
import { clearTakeoverSecret, readTakeoverSecret, setTakeoverSecret } from "@/lib/takeover/cookie";
import { handBackConversation, sendOperatorMessage, settleConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { shareAllowsTakeover } from "@/lib/takeover/policy";
import type { Actor } from "@/lib/auth/actor";

const NOT_AVAILABLE = "This link is not available.";

/** The share, if this actor may operate the conversation through it. */
async function openTakeoverShare(publicId: string, actor: Actor) {
  const share = await openShare(publicId, actor);
  if (!share || !shareAllowsTakeover(share.view)) throw new AppError("not_found", NOT_AVAILABLE);
  await settleConversation(share.access.filter.conversationId);
  return share;
}

const takeOverSchema = z.object({
  publicId: z.string().min(1).max(64),
  operatorName: z.string().trim().max(60, "Use at most 60 characters.").optional(),
});

/** Take over: the conversation becomes operator-controlled and this browser holds the session. */
export const takeOverThroughShareAction = publicAction(takeOverSchema, async (input, actor) => {
  const share = await openTakeoverShare(input.publicId, actor);
  const conversationId = share.access.filter.conversationId;
  const name = input.operatorName || (actor.kind === "user" ? actor.name : "Operator");
  const { secret } = await takeOverConversation({
    conversationId,
    operator: { userId: actor.kind === "user" ? actor.userId : null, name },
    shareId: share.access.shareId,
  });
  await setTakeoverSecret(conversationId, secret);
  return { operatorName: name };
});

const operatorSchema = z.object({ publicId: z.string().min(1).max(64) });

/** Hand back: ends this browser's takeover session and returns control to the bot. */
export const handBackThroughShareAction = publicAction(operatorSchema, async (input, actor) => {
  const share = await openTakeoverShare(input.publicId, actor);
  const conversationId = share.access.filter.conversationId;
  const secret = await readTakeoverSecret(conversationId);
  if (!secret) throw new AppError("forbidden", "Your takeover session has ended.");
  await handBackConversation({ conversationId, secret });
  await clearTakeoverSecret(conversationId);
  return null;
});

const messageSchema = operatorSchema.extend({
  text: z.string().trim().min(1, "Write a message first.").max(4000, "Use at most 4,000 characters."),
});

/** An operator message to the contact, checked against this browser's takeover session. */
export const sendOperatorMessageThroughShareAction = publicAction(messageSchema, async (input, actor) => {
  const share = await openTakeoverShare(input.publicId, actor);
  const conversationId = share.access.filter.conversationId;
  const secret = await readTakeoverSecret(conversationId);
  if (!secret) throw new AppError("forbidden", "Your takeover session has ended.");
  await sendOperatorMessage({ conversationId, secret, text: input.text });
  return null;
});
