import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { prisma } from "@/lib/db";
import type { MemberRole, Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/** A signed-in member: who they are and where they belong. */
export type UserActor = {
  kind: "user";
  userId: string;
  name: string;
  email: string;
  memberships: { organizationId: string; organizationName: string; role: MemberRole }[];
};

/** Whoever is making the request. Share links and bot tokens join this union as they arrive. */
export type Actor = UserActor | { kind: "anonymous" };

/** What a UserActor is read from: the user and their memberships, oldest first. */
export const memberSelect = {
  id: true,
  name: true,
  email: true,
  memberships: {
    select: { organizationId: true, role: true, organization: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  },
} as const satisfies Prisma.UserSelect;

/** The actor of a user row read with memberSelect (a session's, or a personal API token's). */
export function toUserActor(user: Prisma.UserGetPayload<{ select: typeof memberSelect }>): UserActor {
  return {
    kind: "user",
    userId: user.id,
    name: user.name,
    email: user.email,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationName: m.organization.name,
      role: m.role,
    })),
  };
}

/** The current request's actor; anonymous when not signed in or the account no longer exists. */
export const getActor = cache(async (): Promise<Actor> => {
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return { kind: "anonymous" };
  const user = await prisma.user.findUnique({ where: { id: userId }, select: memberSelect });
  return user ? toUserActor(user) : { kind: "anonymous" };
});

export async function requireUser(): Promise<UserActor> {
  const actor = await getActor();
  if (actor.kind !== "user") throw new AppError("unauthorized", "Please sign in.");
  return actor;
}
