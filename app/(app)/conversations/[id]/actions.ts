"use server";

import { refresh, revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import type { UserActor } from "@/lib/auth/actor";
import { assertConversationPermission } from "@/lib/conversations/policy";
import { findConversation } from "@/lib/conversations/queries";
import { clearTakeoverSecret, readTakeoverSecret, setTakeoverSecret } from "@/lib/takeover/cookie";
import { handBackConversation, sendOperatorMessage, settleConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { AppError } from "@/lib/errors";
import { createShare, revokeShare, updateShare } from "@/lib/shares/mutations";
import { shareFormSchema } from "@/lib/shares/schemas";

const saveShareFormSchema = shareFormSchema.extend({
  conversationId: z.string().min(1).max(64),
  /** Set when the modal edits an active share. */
  shareId: z.string().min(1).max(64).optional(),
  /** "create" mints a link (reusing one with the same settings unless `regenerate`); "update" edits `shareId`. */
  intent: z.enum(["create", "update"]).default("create"),
  regenerate: z.preprocess((value) => value === "on" || value === true, z.boolean()),
});

/** The share modal's form: create a link, create a new one, or save changes to the active one. */
export const saveShareAction = userAction(saveShareFormSchema, async (input, actor) => {
  const { conversationId, shareId, intent, regenerate, ...settings } = input;
  if (intent === "update" && !shareId) throw new AppError("bad_request", "Which share should change?");
  const share =
    intent === "update"
      ? await updateShare(actor, { shareId: shareId!, settings })
      : (await createShare(actor, { conversationId, regenerate, settings })).share;
  revalidatePath(`/conversations/${conversationId}`);
  return share;
});

/** Revokes a share: its link, files and ZIP answer 404 from now on. */
export const revokeShareAction = userAction(z.object({ shareId: z.string().min(1).max(64) }), async (input, actor) => {
  const share = await revokeShare(actor, input);
  revalidatePath(`/conversations/${share.conversationId}`);
  return share;
});

/** The conversation, if this member may operate it (take over, write, hand back). */
async function loadOperableConversation(actor: UserActor, conversationId: string) {
  const conversation = await findConversation(actor, conversationId);
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  assertConversationPermission(actor, conversation.bot.organizationId, "operate");
  await settleConversation(conversation.id);
  return conversation;
}

const conversationSchema = z.object({ conversationId: z.string().min(1).max(64) });

/** The member takes the conversation over from the bot in their own console. */
export const takeOverAction = userAction(conversationSchema, async (input, actor) => {
  const conversation = await loadOperableConversation(actor, input.conversationId);
  const { secret } = await takeOverConversation({
    conversationId: conversation.id,
    operator: { userId: actor.userId, name: actor.name },
  });
  await setTakeoverSecret(conversation.id, secret);
  return { operatorName: actor.name };
});

/** Ends this browser's takeover session; the bot answers again. */
export const handBackAction = userAction(conversationSchema, async (input, actor) => {
  const conversation = await loadOperableConversation(actor, input.conversationId);
  const secret = await readTakeoverSecret(conversation.id);
  if (!secret) throw new AppError("forbidden", "Your takeover session has ended.");
  await handBackConversation({ conversationId: conversation.id, secret });
  await clearTakeoverSecret(conversation.id);
  return null;
});

const operatorMessageSchema = conversationSchema.extend({
  text: z.string().trim().min(1, "Write a message first.").max(4000, "Use at most 4,000 characters."),
});

/** An operator message to the contact from the member's console. */
export const sendOperatorMessageAction = userAction(operatorMessageSchema, async (input, actor) => {
  const conversation = await loadOperableConversation(actor, input.conversationId);
  const secret = await readTakeoverSecret(conversation.id);
  if (!secret) throw new AppError("forbidden", "Your takeover session has ended.");
  await sendOperatorMessage({ conversationId: conversation.id, secret, text: input.text });
  // The page lists where the message stands on its way to a channel's webhook (non-web channels).
  if (conversation.channel !== "web") refresh();
  return null;
});
