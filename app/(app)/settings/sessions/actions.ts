"use server";

import { z } from "zod";
import { userAction } from "@/lib/action";
import { revokeAllUserSessions } from "@/lib/auth/sessions";

/** Signs the member out on every browser, this one included; copied cookies stop working too. */
export const signOutEverywhereAction = userAction(z.object({}), async (_input, actor) => {
  const ended = await revokeAllUserSessions(actor.userId);
  return { ended };
});
