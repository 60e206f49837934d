"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { createShare, revokeShare, updateShare } from "@/lib/shares/mutations";
import { listConversationShares } from "@/lib/shares/queries";
import { shareFormSchema } from "@/lib/shares/schemas";

const createShareFormSchema = shareFormSchema.extend({
  conversationId: z.string().min(1).max(64),
  regenerate: z.preprocess((value) => value === "on" || value === true, z.boolean()),
});

/** Shares the conversation from the modal (or returns its active share with the same settings). */
export const createShareAction = userAction(createShareFormSchema, async (input, actor) => {
  const { conversationId, regenerate, ...settings } = input;
  const result = await createShare(actor, { conversationId, regenerate, settings });
  revalidatePath(`/conversations/${conversationId}`);
  return result;
});

const updateShareFormSchema = shareFormSchema.extend({ shareId: z.string().min(1).max(64) });

/** Saves changed settings of an active share; the link stays the same. */
export const updateShareAction = userAction(updateShareFormSchema, async (input, actor) => {
  const { shareId, ...settings } = input;
  const share = await updateShare(actor, { shareId, settings });
  revalidatePath(`/conversations/${share.conversationId}`);
  return share;
});

/** Revokes a share: its link, files and ZIP answer 404 from now on. */
export const revokeShareAction = userAction(z.object({ shareId: z.string().min(1).max(64) }), async (input, actor) => {
  const share = await revokeShare(actor, input);
  revalidatePath(`/conversations/${share.conversationId}`);
  return share;
});

/** The conversation's shares with live view counts, for the modal. */
export const listSharesAction = userAction(z.object({ conversationId: z.string().min(1).max(64) }), (input, actor) =>
  listConversationShares(actor, input.conversationId),
);
