import "server-only";
import { type Actor } from "@/lib/auth/actor";
import { getActor } from "@/lib/auth/current-actor";
import { findConversation } from "@/lib/conversations/queries";

/** This request's member and the conversation id, if they may read it; null (answer 404) otherwise. */
export async function loadReadableConversation(conversationId: string): Promise<{ actor: Actor; conversationId: string; title: string } | null> {
  const actor = await getActor();
  const conversation = await findConversation(actor, conversationId);
  return conversation ? { actor, conversationId: conversation.id, title: conversation.title } : null;
}
