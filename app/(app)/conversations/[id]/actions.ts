"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
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
