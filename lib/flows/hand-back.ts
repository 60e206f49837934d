import "server-only";
import type { MessageView } from "@/lib/conversations/message-view";
import { readFlowConversation, runRule } from "@/lib/flows/execute";
import { readStoredFlow } from "@/lib/flows/run";
import type { Prisma } from "@/lib/generated/prisma/client";

/** What an on_hand_back rule's templates see besides the conversation's variables (never stored). */
export type HandBackInputs = {
  operatorName: string;
  /** handed_back, expired, revoked, stale, … (the session's end reason in lower case). */
  reason: string;
  startedAt: Date;
  endedAt: Date;
};

/**
 * Runs the bot's on_hand_back rule (the first rule whose match is `on_hand_back`), once control
 * has returned to the bot, inside the transaction that ended the takeover session: the session's
 * conditional end runs this exactly once per ending, and nothing runs when that transaction rolls
 * back. Variables: `operator_name`, `handed_back_reason`, `operator_session_minutes`.
 */
export async function runHandBackRule(
  tx: Prisma.TransactionClient,
  conversationId: string,
  { operatorName, reason, startedAt, endedAt }: HandBackInputs,
): Promise<MessageView[]> {
  const conversation = await readFlowConversation(tx, conversationId);
  if (conversation.controller !== "BOT") return [];
  const rule = readStoredFlow(conversation.bot.flow).rules.find((candidate) => candidate.match.type === "on_hand_back");
  if (!rule) return [];
  const { contact } = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { contact: { select: { name: true } } } });
  const minutes = Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 60_000));
  const run = await runRule(tx, {
    conversation,
    rule,
    inputs: {
      contact_name: contact.name,
      operator_name: operatorName,
      handed_back_reason: reason,
      operator_session_minutes: minutes,
    },
  });
  return run.messages;
}
