"use server";

import { userAction } from "@/lib/action";
import { markConversationRead } from "@/lib/inbox/mutations";
import { markReadSchema } from "@/lib/inbox/schemas";

/** The conversation page is open: its contact messages are read for this member. */
export const markConversationReadAction = userAction(markReadSchema, (input, actor) => markConversationRead(actor, input));
