"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { updateBotFlow } from "@/lib/bots/mutations";
import { updateBotFlowSchema } from "@/lib/bots/schemas";
import { createBotToken, revokeToken } from "@/lib/tokens/mutations";
import { createBotTokenSchema, revokeTokenSchema } from "@/lib/tokens/schemas";
import { updateBotWebhook } from "@/lib/webhooks/mutations";
import { botWebhookSchema } from "@/lib/webhooks/schemas";

/** The flow editor's Save: replaces the bot's flow (owners and admins of its organization). */
export const saveBotFlowAction = userAction(updateBotFlowSchema, async (input, actor) => {
  const result = await updateBotFlow(actor, input);
  revalidatePath("/bots");
  return { ...result, savedAt: new Date().toISOString() };
});

/** Creates a token that acts for this bot; the plain token is returned this once. */
export const createBotTokenAction = userAction(createBotTokenSchema, async (input, actor) => {
  const { token, item } = await createBotToken(actor, input);
  revalidatePath(`/bots/${input.botId}`);
  return { token, name: item.name };
});

/** Revokes one of a bot's tokens. */
export const revokeBotTokenAction = userAction(revokeTokenSchema, async (input, actor) => {
  const token = await revokeToken(actor, input);
  revalidatePath("/bots/[id]", "page");
  return { tokenId: token.id };
});

/** Sets or clears the bot's webhook for operator messages on non-web channels. */
export const saveBotWebhookAction = userAction(botWebhookSchema, async (input, actor) => {
  const result = await updateBotWebhook(actor, input);
  revalidatePath(`/bots/${input.botId}`);
  return { ...result, savedAt: new Date().toISOString() };
});
