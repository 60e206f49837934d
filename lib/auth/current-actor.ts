import "server-only";
import { getServerSession } from "next-auth";
import { cookies } from "next/headers";
import { cache } from "react";
import { ANONYMOUS, memberSelect, toUserActor, type AnonymousActor, type UserActor } from "@/lib/auth/actor";
import { authOptions } from "@/lib/auth/options";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

// Who is behind this browser request (its next-auth session). Kept apart from lib/auth/actor.ts,
// whose types and helpers the command line and the domain use without next-auth.

/** The current browser request's member; anonymous when not signed in or the account no longer exists. */
export const getActor = cache(async (): Promise<UserActor | AnonymousActor> => {
  // Without next-auth's session cookie (also when over HTTPS or split into chunks) there is no
  // session to read, and asking next-auth costs a whole run of its handler: most share viewers.
  if (!(await cookies()).getAll().some(({ name }) => name.includes("next-auth.session-token"))) return ANONYMOUS;
  const session = await getServerSession(authOptions);
  const userId = (session?.user as { id?: string } | undefined)?.id;
  if (!userId) return ANONYMOUS;
  const user = await prisma.user.findUnique({ where: { id: userId }, select: memberSelect });
  return user ? toUserActor(user) : ANONYMOUS;
});

export async function requireUser(): Promise<UserActor> {
  const actor = await getActor();
  if (actor.kind !== "user") throw new AppError("unauthorized", "Please sign in.");
  return actor;
}
