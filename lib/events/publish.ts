import type { Prisma } from "@/lib/generated/prisma/client";
import { lockConversation } from "@/lib/conversations/lock";
import { getEventTransport } from "@/lib/events/transport";
import type { ConversationEventData } from "@/lib/events/types";

/**
 * Records an event in the caller's transaction and has it announced to every app instance once
 * (and only if) the write commits: by NOTIFY inside the transaction, or with EVENTS_URL through
 * Redis right after the commit.
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
  await getEventTransport().announce(tx, { conversationId, id: row.id.toString() });
  return row.id;
}
