import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { authorizeConversation, scopedConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { findActiveSession } from "@/lib/takeover/queries";

/**
 * The takeover session this secret holds on the conversation, for an actor that may operate it
 * (a member with an operating role, a takeover link): the operator's side of typing. Throws "not
 * found" to anyone who may not operate, "forbidden" when the secret holds no active session.
 */
export async function findOperatorSession(actor: Actor, conversationId: string, secret: string): Promise<{ id: string; operatorName: string }> {
  await authorizeConversation(prisma, actor, conversationId, "operate");
  const session = await findActiveSession(conversationId, secret);
  if (!session) throw new AppError("forbidden", "Your takeover session has ended.");
  return session;
}

/**
 * The newest message the contact's web chat has shown them, for a reader of the conversation
 * (the console's "Seen"); throws "not found" to anyone who may not read it.
 */
export async function findContactReadState(actor: Actor, conversationId: string): Promise<{ seenMessageId: string | null }> {
  const row = await prisma.conversation.findFirst({
    where: scopedConversation(actor, conversationId, "read"),
    select: { contactReadSeq: true },
  });
  if (!row) throw new AppError("not_found", "Conversation not found.");
  if (row.contactReadSeq === null) return { seenMessageId: null };
  const message = await prisma.message.findUnique({
    where: { conversationId_seq: { conversationId, seq: row.contactReadSeq } },
    select: { id: true },
  });
  return { seenMessageId: message?.id ?? null };
}
