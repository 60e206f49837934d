import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { prisma } from "@/lib/db";
import type { MemberRole } from "@/lib/generated/prisma/client";
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

/** The current request's actor; anonymous when not signed in or the account no longer exists. */
export const getActor = cache(async (): Promise<Actor> => {
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return { kind: "anonymous" };
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      email: true,
      memberships: {
        select: { organizationId: true, role: true, organization: { select: { name: true } } },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!user) return { kind: "anonymous" };
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
});

export async function requireUser(): Promise<UserActor> {
  const actor = await getActor();
  if (actor.kind !== "user") throw new AppError("unauthorized", "Please sign in.");
  return actor;
}
