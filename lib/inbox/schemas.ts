import { z } from "zod";
import { idSchema } from "@/lib/ids";
import { INBOX_STATES, type InboxState } from "@/lib/inbox/view";

/** A conversation the member has just read (its page is open). */
export const markReadSchema = z.object({ conversationId: idSchema });

export type MarkReadInput = z.input<typeof markReadSchema>;

/** The list's `?state=`: one of the inbox states, anything else shows every conversation. */
export function parseInboxState(value: string | undefined): InboxState | undefined {
  return INBOX_STATES.find((state) => state === value);
}

/** The inbox stream's `?organizationId=` (optional: every organization of the member). */
export const inboxStreamQuerySchema = z.object({ organizationId: idSchema.optional() });
