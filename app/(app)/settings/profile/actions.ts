"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { operatorNameSchema } from "@/lib/takeover/operator-name";
import { updateOperatorName } from "@/lib/users/mutations";
import { z } from "zod";

/** The member's operator name, from the profile form. */
export const updateOperatorNameAction = userAction(z.object({ operatorName: operatorNameSchema }), async (input, actor) => {
  const result = await updateOperatorName(actor, input);
  revalidatePath("/settings/profile");
  return result;
});
