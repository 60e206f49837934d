import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { LOCKING_TRANSACTION_OPTIONS } from "@/lib/conversations/lock";
import { authorizeConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { publishConversationEvent } from "@/lib/events/publish";
import { sendConversationSignal } from "@/lib/events/signals";
import type { Prisma } from "@/lib/generated/prisma/client";
import { idSchema } from "@/lib/ids";
import { findOperatorSession } from "@/lib/presence/queries";
import { parseOrThrow } from "@/lib/validation";

// Presence in a live chat: typing goes as an ephemeral signal to the other party only (nothing is
// stored); what the contact has seen is stored on the conversation and published as a "read" event.

const typingSchema = z.object({ conversationId: idSchema, typing: z.boolean() });
const operatorTypingSchema = typingSchema.extend({ secret: z.string().min(1) });
const seenSchema = z.object({ conversationId: idSchema, messageId: idSchema });

/** Only the contact speaks as the contact: a bot token may write their messages but types nothing. */
async function authorizeContact(db: Prisma.TransactionClient, actor: Actor, conversationId: string) {
  if (actor.kind !== "contact") throw new AppError("not_found", "Conversation not found.");
  await authorizeConversation(db, actor, conversationId, "write");
}

/** The contact is typing (or stopped): the operator holding the conversation sees it. */
export async function reportContactTyping(actor: Actor, input: z.input<typeof typingSchema>): Promise<void> {
  const { conversationId, typing } = parseOrThrow(typingSchema, input);
  await authorizeContact(prisma, actor, conversationId);
  await sendConversationSignal(conversationId, { type: "typing", from: "contact", typing, name: null });
}

/** The operator holding the conversation (by the session's secret) is typing: the contact sees their name. */
export async function reportOperatorTyping(actor: Actor, input: z.input<typeof operatorTypingSchema>): Promise<void> {
  const { conversationId, secret, typing } = parseOrThrow(operatorTypingSchema, input);
  const session = await findOperatorSession(actor, conversationId, secret);
  await sendConversationSignal(conversationId, { type: "typing", from: "operator", typing, name: session.operatorName });
}

/**
 * The contact's web chat has shown them every message up to `messageId`. The mark only moves
 * forward: a conditional update under the row lock, so reports arriving out of order (two tabs,
 * a slow request) never take it back, and only a report that moved it publishes a "read" event.
 * Such reports queue on that lock, hence the locking transaction's longer waits.
 */
export async function markSeenByContact(actor: Actor, input: z.input<typeof seenSchema>): Promise<{ advanced: boolean }> {
  const { conversationId, messageId } = parseOrThrow(seenSchema, input);
  return prisma.$transaction(async (tx) => {
    await authorizeContact(tx, actor, conversationId);
    const message = await tx.message.findFirst({ where: { id: messageId, conversationId }, select: { seq: true } });
    if (!message) throw new AppError("not_found", "Message not found.");
    // Raw, so the conversation's updatedAt stays: reading is no change to the conversation.
    const moved = await tx.$executeRaw`
      UPDATE "Conversation" SET "contactReadSeq" = ${message.seq}
      WHERE id = ${conversationId} AND ("contactReadSeq" IS NULL OR "contactReadSeq" < ${message.seq})`;
    if (moved === 0) return { advanced: false };
    await publishConversationEvent(tx, conversationId, { type: "read", messageId });
    return { advanced: true };
  }, LOCKING_TRANSACTION_OPTIONS);
}
