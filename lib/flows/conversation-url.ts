import "server-only";
import type { FlowActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { CreateConversationUrlAction } from "@/lib/flows/schemas";
import { setConversationVariables, type FlowVariables } from "@/lib/flows/variables";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createShareInTransaction } from "@/lib/shares/mutations";
import { MAX_VALIDITY_HOURS } from "@/lib/shares/schemas";

/** The variable a create_conversation_url action sets to the link, for a following send_text. */
export const SHARE_URL_VARIABLE = "conversation_share_url";

const NOT_CREATED = "Conversation link not created";

/** The action's validity in hours, or why it has none (a `{{variable}}` that is not whole hours). */
export function resolveValidityHours(
  validity: CreateConversationUrlAction["validityHours"],
  variables: FlowVariables,
): { hours: number } | { problem: string } {
  if (typeof validity === "number") return { hours: validity };
  const name = validity.replace(/^\{\{\s*|\s*\}\}$/g, "");
  const value = variables[name];
  const hours = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(hours) && hours >= 1 && hours <= MAX_VALIDITY_HOURS) return { hours };
  const got = value === undefined ? "is not set" : `is "${String(value).slice(0, 40)}"`;
  return { problem: `${NOT_CREATED}: the validity variable "${name}" ${got}; it must be a whole number of hours from 1 to ${MAX_VALIDITY_HOURS}.` };
}

/**
 * Shares the conversation for operators (PRODUCT.md §6): a takeover link, or an auto link that
 * hands control back to the bot when it expires. Reuses the active link with the same settings
 * unless the action asks to regenerate, and stores the link in `conversation_share_url`.
 * Returns the link, or, when the action cannot run, why (recorded for the owner; never throws
 * for a flow's mistake: the contact's chat must go on).
 */
export async function createConversationUrl(
  tx: Prisma.TransactionClient,
  flow: FlowActor,
  { action, variables }: {
    action: CreateConversationUrlAction;
    variables: FlowVariables;
  },
): Promise<{ url: string } | { problem: string }> {
  const validity = resolveValidityHours(action.validityHours, variables);
  if ("problem" in validity) return validity;
  try {
    // The flow is the link's creator: History names the bot, and the organization's owners and
    // admins manage the link like their own.
    const { share } = await createShareInTransaction(tx, flow, {
      conversationId: flow.conversationId,
      regenerate: action.regenerate ?? false,
      settings: {
        mode: action.autoHandBack ? "AUTO" : "TAKEOVER",
        validityHours: validity.hours,
        takeOverOnOpen: action.takeOverOnOpen ?? false,
      },
    });
    await setConversationVariables(tx, flow.conversationId, { [SHARE_URL_VARIABLE]: share.url });
    return { url: share.url };
  } catch (error) {
    // Settings are checked before any write, so the transaction is still usable here.
    if (error instanceof AppError) return { problem: `${NOT_CREATED}: ${error.message}` };
    throw error;
  }
}
