import type { Controller } from "@/lib/generated/prisma/enums";

/**
 * Where a conversation stands for the team: a contact waiting for a person, held by an operator,
 * answered by its bot, or transferred to another bot.
 */
export type InboxState = "needs_human" | "operator" | "bot" | "transferred";

export const INBOX_STATES: readonly InboxState[] = ["needs_human", "operator", "bot", "transferred"];

export const INBOX_STATE_LABELS: Record<InboxState, string> = {
  needs_human: "Needs a person",
  operator: "Held by an operator",
  bot: "With the bot",
  transferred: "Transferred",
};

/**
 * One row of a member's conversation list, as the page renders it and the inbox stream sends it:
 * only what the list shows (no variables, no contact channel ids, no other member's ids).
 */
export type InboxItem = {
  id: string;
  title: string;
  channel: string;
  botName: string;
  contactName: string;
  messageCount: number;
  lastMessageAt: string;
  hasActiveShare: boolean;
  state: InboxState;
  /** The holder's display name while an operator holds it. */
  operatorName: string | null;
  /** Whether the member reading the list holds it. */
  heldByYou: boolean;
  /** Why a person is needed, as the flow or channel said (members only). */
  needsHumanNote: string | null;
  /** Contact messages since this member last opened the conversation. */
  unread: number;
};

export function inboxState(controller: Controller, needsHumanAt: Date | null): InboxState {
  if (controller === "OPERATOR") return "operator";
  if (controller === "TRANSFERRED") return "transferred";
  return needsHumanAt ? "needs_human" : "bot";
}
