import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { authorizeConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { markReadSchema, type MarkReadInput } from "@/lib/inbox/schemas";
import { parseOrThrow } from "@/lib/validation";

/**
 * Moves the member's read marker of a conversation to its newest message: its contact messages
 * are read for this member (other members keep their own counts). Never moves back, so a slow
 * request from an older tab cannot make read messages unread again. Members who may read it only.
 */
export async function markConversationRead(actor: Actor, input: MarkReadInput): Promise<{ conversationId: string }> {
  const { conversationId } = parseOrThrow(markReadSchema, input);
  if (actor.kind !== "user") throw new AppError("not_found", "Conversation not found.");
  await authorizeConversation(prisma, actor, conversationId, "read");
  await prisma.$executeRaw`
    INSERT INTO "ConversationReadMarker" ("userId", "conversationId", "lastReadSeq", "readAt")
    SELECT ${actor.userId}, ${conversationId}, COALESCE(MAX(seq), 0), now() FROM "Message" WHERE "conversationId" = ${conversationId}
    ON CONFLICT ("userId", "conversationId") DO UPDATE
      SET "lastReadSeq" = GREATEST("ConversationReadMarker"."lastReadSeq", EXCLUDED."lastReadSeq"), "readAt" = EXCLUDED."readAt"`;
  return { conversationId };
}
