"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction } from "@/lib/action";
import { idSchema } from "@/lib/ids";
import { revokeShares } from "@/lib/shares/mutations";
import { shareListFilterSchema } from "@/lib/shares/schemas";

// The links table's one form: each revoke button names what it revokes, the ticked boxes are the
// selection and the hidden fields the filter the page shows. revokeShares authorizes every share.
const revokeLinksFormSchema = shareListFilterSchema.extend({
  revoke: z.union([
    z.literal("selected"),
    z.literal("matching"),
    z.templateLiteral(["one:", z.string()]).transform((value) => value.slice("one:".length)).pipe(idSchema),
  ]),
  shareIds: z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(idSchema)),
});

/** Revokes one link, the selected links, or every active link matching the page's filter. */
export const revokeLinksAction = userAction(revokeLinksFormSchema, async ({ revoke, shareIds, ...filter }, actor) => {
  const result =
    revoke === "matching"
      ? await revokeShares(actor, { filter })
      : await revokeShares(actor, { shareIds: revoke === "selected" ? shareIds : [revoke] });
  revalidatePath("/links");
  revalidatePath("/conversations/[id]", "page");
  return result;
});
