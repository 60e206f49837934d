import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/** The other side of an open transfer, as the owner's conversation page links to it. */
export type TransferPeer = { conversationId: string; botName: string };

/**
 * Where the contact of this conversation is: `to` the target's conversation while this one is
 * handed away, `from` the source's while it is handed here, and `returnedTo` the source's once
 * the last transfer here has ended (the contact is back there; writing here reaches nobody).
 * Only conversations the actor may read are named.
 */
export async function findOpenTransferPeers(
  actor: Actor,
  conversationId: string,
): Promise<{ to: TransferPeer | null; from: TransferPeer | null; returnedTo: TransferPeer | null }> {
  const scope = conversationScope(actor, "read");
  const peer = { select: { id: true, bot: { select: { name: true } } } } as const;
  const [out, into] = await Promise.all([
    prisma.transfer.findFirst({
      where: { sourceConversationId: conversationId, endedAt: null, target: scope },
      orderBy: { startedAt: "desc" },
      select: { target: peer },
    }),
    prisma.transfer.findFirst({
      where: { targetConversationId: conversationId, source: scope },
      orderBy: { startedAt: "desc" },
      select: { endedAt: true, source: peer },
    }),
  ]);
  const source = into ? { conversationId: into.source.id, botName: into.source.bot.name } : null;
  return {
    to: out ? { conversationId: out.target.id, botName: out.target.bot.name } : null,
    from: into && into.endedAt === null ? source : null,
    returnedTo: into && into.endedAt !== null ? source : null,
  };
}

/** The open transfer that took this conversation away from its bot, or null. */
export function findOpenTransferFrom(tx: Prisma.TransactionClient, sourceConversationId: string) {
  return tx.transfer.findFirst({
    where: { sourceConversationId, endedAt: null },
    orderBy: { startedAt: "desc" },
    select: { id: true, targetConversationId: true },
  });
}

