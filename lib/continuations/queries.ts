import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";

/**
 * The conversations viewers continued from this one through its links, newest first, that the
 * actor may read (its organization's members see them all; anyone else none).
 */
export function listConversationForks(actor: Actor, conversationId: string) {
  return prisma.conversation.findMany({
    where: { AND: [{ forkedFromConversationId: conversationId }, conversationScope(actor, "read")] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, title: true, createdAt: true, messageCount: true },
  });
}
