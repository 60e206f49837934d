import type { Prisma } from "@/lib/generated/prisma/client";
import { lockConversation } from "@/lib/conversations/lock";
import { EVENTS_CHANNEL, type ConversationEventData } from "@/lib/events/types";

/**
 * Records an event and announces it with NOTIFY in the caller's transaction: listeners in every
 * app instance hear of it exactly when (and only if) the write commits.
 */
export async function publishConversationEvent(
  tx: Prisma.TransactionClient,
  conversationId: string,
  event: ConversationEventData,
) {
  await lockConversation(tx, conversationId);
  const { type, ...data } = event;
  const row = await tx.conversationEvent.create({
    data: { conversationId, type, data: data as Prisma.InputJsonValue },
    select: { id: true },
  });
  const notice = JSON.stringify({ conversationId, id: row.id.toString() });
  // pg_notify returns void, which $queryRaw cannot deserialize; run it for its effect only.
  await tx.$executeRaw`SELECT pg_notify(${EVENTS_CHANNEL}, ${notice})`;
  return row.id;
}
