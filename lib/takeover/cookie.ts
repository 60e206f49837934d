import "server-only";
import { cookies } from "next/headers";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * The operator's proof of holding a conversation: an HttpOnly cookie with the takeover
 * session's secret (the database keeps only its hash). Every operator message and hand-back is
 * checked against it, so a stale tab or another browser cannot act.
 */
export const takeoverCookieName = (conversationId: string) => `sb_takeover_${conversationId}`;

export async function readTakeoverSecret(conversationId: string): Promise<string | null> {
  return (await cookies()).get(takeoverCookieName(conversationId))?.value ?? null;
}

export async function setTakeoverSecret(conversationId: string, secret: string) {
  (await cookies()).set(takeoverCookieName(conversationId), secret, {
    httpOnly: true,
    sameSite: "lax",
    secure: env.secureCookies,
    path: "/",
    maxAge: 24 * 60 * 60,
  });
}

export async function clearTakeoverSecret(conversationId: string) {
  (await cookies()).delete(takeoverCookieName(conversationId));
}

/** This browser's takeover secret for the conversation, or "your session has ended" when it has none. */
export async function requireTakeoverSecret(conversationId: string): Promise<string> {
  const secret = await readTakeoverSecret(conversationId);
  if (!secret) throw new AppError("forbidden", "Your takeover session has ended.");
  return secret;
}
