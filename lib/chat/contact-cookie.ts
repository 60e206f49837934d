import "server-only";
import { randomBytes } from "node:crypto";
import { cookies } from "next/headers";
import { env } from "@/lib/env";

// A web-chat contact has no account: a random id in an HttpOnly cookie, scoped to one bot's
// chat path, is their identity. Whoever holds it continues that contact's conversation.

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const CONTACT_ID = /^[A-Za-z0-9_-]{22,64}$/;

export const contactCookieName = (botId: string) => `sb_contact_${botId}`;

/** The contact id in this request's cookie for the bot, or null when absent or malformed. */
export async function readContactId(botId: string): Promise<string | null> {
  const value = (await cookies()).get(contactCookieName(botId))?.value;
  return value && CONTACT_ID.test(value) ? value : null;
}

/** A new unguessable contact id (144 random bits). */
export function newContactId(): string {
  return randomBytes(18).toString("base64url");
}

/** Remembers the contact on this browser for a year, for this bot's chat only. */
export async function setContactId(botId: string, contactId: string) {
  (await cookies()).set(contactCookieName(botId), contactId, {
    httpOnly: true,
    sameSite: "lax",
    secure: env.secureCookies,
    path: `/chat/${botId}`,
    maxAge: ONE_YEAR_SECONDS,
  });
}
