import "server-only";
import { prisma } from "@/lib/db";

// lastSeenAt is for the member's list of sessions, not for security: writing it on every request
// would turn each page view into a write, so it moves at most this often.
const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** Records a new signed-in browser; its id goes into the session JWT. */
export async function startUserSession(userId: string, userAgent?: string | null): Promise<string> {
  const session = await prisma.userSession.create({
    data: { userId, userAgent: userAgent?.slice(0, 500) || null },
    select: { id: true },
  });
  return session.id;
}

/**
 * Whether the session in a JWT still stands: it exists, belongs to that user and was not
 * revoked. Checked on every request, so a copied cookie dies with the session.
 */
export async function isUserSessionActive(sessionId: string, userId: string): Promise<boolean> {
  const session = await prisma.userSession.findUnique({
    where: { id: sessionId },
    select: { userId: true, revokedAt: true, lastSeenAt: true },
  });
  if (!session || session.userId !== userId || session.revokedAt) return false;
  if (Date.now() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { lastSeenAt: new Date() } });
  }
  return true;
}

/** Ends one session (sign-out). Ending an ended session changes nothing. */
export async function revokeUserSession(sessionId: string): Promise<void> {
  await prisma.userSession.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: new Date() } });
}

/** Ends every session of the user, this browser's included; returns how many were open. */
export async function revokeAllUserSessions(userId: string): Promise<number> {
  const { count } = await prisma.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}

/** The user's open sessions, newest first, for the settings page. */
export async function listUserSessions(userId: string) {
  return prisma.userSession.findMany({
    where: { userId, revokedAt: null },
    select: { id: true, createdAt: true, lastSeenAt: true, userAgent: true },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
  });
}
