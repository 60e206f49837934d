import "server-only";
import { recordAuditEvent } from "@/lib/audit/record";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Records that a flow action could not run (a validity variable that is not hours, a transfer
 * target that is gone, …) in the conversation's History, which only members read. Never as a
 * message: messages reach the contact, the web chat and public share pages, and the problem
 * describes the bot's configuration (PRODUCT.md §3).
 */
export async function recordFlowProblem(tx: Prisma.TransactionClient, conversationId: string, problem: string): Promise<void> {
  const { bot } = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { bot: { select: { name: true, organizationId: true } } },
  });
  await recordAuditEvent(tx, {
    organizationId: bot.organizationId,
    conversationId,
    actor: { type: "bot", name: bot.name },
    action: "flow.problem",
    data: { reason: problem },
  });
}
