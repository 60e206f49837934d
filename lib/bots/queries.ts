import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { botScope, canEditBots } from "@/lib/bots/policy";
import { prisma } from "@/lib/db";

export type BotListItem = {
  id: string;
  name: string;
  description: string;
  organizationName: string;
  ruleCount: number;
  conversationCount: number;
  canEdit: boolean;
};

function countRules(flow: unknown): number {
  const rules = (flow as { rules?: unknown } | null)?.rules;
  return Array.isArray(rules) ? rules.length : 0;
}

/** The bots of the actor's organizations, by organization and name. */
export async function listBots(actor: Actor): Promise<BotListItem[]> {
  const rows = await prisma.bot.findMany({
    where: botScope(actor),
    orderBy: [{ organization: { name: "asc" } }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      description: true,
      flow: true,
      organizationId: true,
      organization: { select: { name: true } },
      _count: { select: { conversations: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    description: row.description,
    organizationName: row.organization.name,
    ruleCount: countRules(row.flow),
    conversationCount: row._count.conversations,
    canEdit: canEditBots(actor, row.organizationId),
  }));
}

/** The other bots of a bot's organization, which its flow may transfer to (targetBotId). */
export function listTransferTargets(actor: Actor, bot: { id: string; organizationId: string }) {
  return prisma.bot.findMany({
    // AND, not a spread: botScope filters organizationId too and would replace this bot's.
    where: { AND: [{ organizationId: bot.organizationId, id: { not: bot.id } }, botScope(actor)] },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}

/** One bot with its flow as indented JSON, for a member of its organization; null otherwise. */
export async function findBot(actor: Actor, botId: string) {
  const row = await prisma.bot.findFirst({
    where: { AND: [{ id: botId }, botScope(actor)] },
    select: { id: true, name: true, description: true, flow: true, organizationId: true, organization: { select: { name: true } } },
  });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    organizationId: row.organizationId,
    organizationName: row.organization.name,
    flowJson: JSON.stringify(row.flow, null, 2),
    ruleCount: countRules(row.flow),
    canEdit: canEditBots(actor, row.organizationId),
  };
}
