"use server";

import { refresh, revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/http";
import { createShare, revokeShare, updateShare } from "@/lib/shares/mutations";
import { shareFormSchema } from "@/lib/shares/schemas";
import { clearTakeoverSecret, requireTakeoverSecret, setTakeoverSecret } from "@/lib/takeover/cookie";
import {
  endOperatorSession,
  forceTakeOver,
  handBackConversation,
  operatorTextSchema,
  requestControl,
  sendOperatorMessage,
  takeOverConversation,
} from "@/lib/takeover/mutations";
import { operatorNameSchema } from "@/lib/takeover/operator-name";

// Each action parses its input, signs the member in (userAction) and calls a lib/ mutation that
// authorizes the member itself (lib/conversations/policy.ts): none trusts this page to have checked.

const saveShareFormSchema = shareFormSchema.extend({
  conversationId: idSchema,
  /** Set when the modal edits an active share. */
  shareId: idSchema.optional(),
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
export const revokeShareAction = userAction(z.object({ shareId: idSchema }), async (input, actor) => {
  const share = await revokeShare(actor, input);
  revalidatePath(`/conversations/${share.conversationId}`);
  return share;
});

const conversationSchema = z.object({ conversationId: idSchema });

const controlSchema = conversationSchema.extend({ operatorName: operatorNameSchema.optional() });

/** The member takes the conversation over from the bot in their own console (naming themselves the first time). */
export const takeOverAction = userAction(controlSchema, async (input, actor) => {
  const { secret, operatorName, sessionId } = await takeOverConversation(actor, input);
  await setTakeoverSecret(input.conversationId, secret);
  return { operatorName, sessionId };
});

/** An owner or admin takes the conversation from the operator holding it. */
export const forceTakeOverAction = userAction(controlSchema, async (input, actor) => {
  const { secret, operatorName, sessionId } = await forceTakeOver(actor, input);
  await setTakeoverSecret(input.conversationId, secret);
  return { operatorName, sessionId };
});

/** An owner or admin ends the operator's session; the bot answers again. */
export const endSessionAction = userAction(conversationSchema, async (input, actor) => {
  await endOperatorSession(actor, input);
  return null;
});

/** Asks the operator holding the conversation to hand it over; moves nothing by itself. */
export const requestControlAction = userAction(controlSchema, async (input, actor) => {
  await requestControl(actor, input);
  return null;
});

/** Ends this browser's takeover session; the bot answers again. */
export const handBackAction = userAction(conversationSchema, async (input, actor) => {
  const secret = await requireTakeoverSecret(input.conversationId);
  await handBackConversation(actor, { conversationId: input.conversationId, secret });
  await clearTakeoverSecret(input.conversationId);
  return null;
});

/** An operator message to the contact from the member's console. */
export const sendOperatorMessageAction = userAction(conversationSchema.extend({ text: operatorTextSchema }), async (input, actor) => {
  const secret = await requireTakeoverSecret(input.conversationId);
  await sendOperatorMessage(actor, { conversationId: input.conversationId, secret, text: input.text });
  // The page lists where the message stands on its way to a channel's webhook (non-web channels).
  refresh();
  return null;
});
