import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";

/** The other side of an open transfer, as the owner's conversation page links to it. */
export type TransferPeer = { conversationId: string; botName: string };

/**
 * Where the contact of this conversation is while a transfer is open: `to` the target's
 * conversation when this one was handed away, `from` the source's when it was handed here. Only
 * conversations the actor may read are named.
 */
export async function findOpenTransferPeers(actor: Actor, conversationId: string): Promise<{ to: TransferPeer | null; from: TransferPeer | null }> {
  const scope = conversationScope(actor, "read");
  const peer = { select: { id: true, bot: { select: { name: true } } } } as const;
  const [out, into] = await Promise.all([
    prisma.transfer.findFirst({
      where: { sourceConversationId: conversationId, endedAt: null, target: scope },
      orderBy: { startedAt: "desc" },
      select: { target: peer },
    }),
    prisma.transfer.findFirst({
      where: { targetConversationId: conversationId, endedAt: null, source: scope },
      orderBy: { startedAt: "desc" },
      select: { source: peer },
    }),
  ]);
  return {
    to: out ? { conversationId: out.target.id, botName: out.target.bot.name } : null,
    from: into ? { conversationId: into.source.id, botName: into.source.bot.name } : null,
  };
}
