"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { createPersonalToken, revokeToken } from "@/lib/tokens/mutations";
import { createPersonalTokenSchema, revokeTokenSchema } from "@/lib/tokens/schemas";

/** Creates a personal API token; the plain token is returned this once. */
export const createPersonalTokenAction = userAction(createPersonalTokenSchema, async (input, actor) => {
  const { token, item } = await createPersonalToken(actor, input);
  revalidatePath("/settings/tokens");
  return { token, name: item.name };
});

/** Revokes one of the member's personal tokens. */
export const revokePersonalTokenAction = userAction(revokeTokenSchema, async (input, actor) => {
  const token = await revokeToken(actor, input);
  revalidatePath("/settings/tokens");
  return { tokenId: token.id };
});
