"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { updateBotFlow } from "@/lib/bots/mutations";
import { updateBotFlowSchema } from "@/lib/bots/schemas";

/** The flow editor's Save: replaces the bot's flow (owners and admins of its organization). */
export const saveBotFlowAction = userAction(updateBotFlowSchema, async (input, actor) => {
  const result = await updateBotFlow(actor, input);
  revalidatePath("/bots");
  return { ...result, savedAt: new Date().toISOString() };
});
