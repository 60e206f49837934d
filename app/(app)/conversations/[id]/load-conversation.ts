import "server-only";
import { getActor } from "@/lib/auth/actor";
import { findConversation, type MessageFilter } from "@/lib/conversations/queries";

/** The reader's filter for a conversation this request's user may read, or null (answer 404). */
export async function loadReadableConversation(conversationId: string): Promise<MessageFilter | null> {
  const conversation = await findConversation(await getActor(), conversationId);
  return conversation ? { conversationId: conversation.id } : null;
}
