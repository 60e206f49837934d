import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";

/**
 * The display name the actor operates under, if they have chosen one: a signed-in member's own
 * (or that of the member who opened a share link). Null for anyone else and for a member who
 * has not chosen one yet (they are asked on their first take over).
 */
export async function findOperatorName(actor: Actor): Promise<string | null> {
  const member = actor.kind === "user" ? actor : actor.kind === "share_link" && actor.viewer.kind === "user" ? actor.viewer : null;
  if (!member) return null;
  const user = await prisma.user.findUnique({ where: { id: member.userId }, select: { operatorName: true } });
  return user?.operatorName ?? null;
}
