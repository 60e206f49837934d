"use server";

import { revalidatePath } from "next/cache";
import { userAction } from "@/lib/action";
import { updateOrganizationPublicName } from "@/lib/organizations/mutations";
import { updatePublicNameSchema } from "@/lib/organizations/schemas";

/** Sets or clears the name an organization's shares show publicly (owners and admins). */
export const savePublicNameAction = userAction(updatePublicNameSchema, async (input, actor) => {
  const result = await updateOrganizationPublicName(actor, input);
  revalidatePath("/settings/organization");
  return result;
});
