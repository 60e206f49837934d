import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { cookies } from "next/headers";
import { appSecret } from "@/lib/auth/app-secret";
import { env } from "@/lib/env";

// A web-chat contact has no account: a random id in an HttpOnly cookie, scoped to one bot's
// chat path, is their identity. Whoever holds it continues that contact's conversation.
//
// The cookie carries the id and an HMAC of it (with the bot's id) under the server's secret, and
// the id only ever names a WEB contact (lib/chat/queries.ts, postContactMessage). So setting the
// cookie by hand reaches nobody: not a channel contact whose id is known (a phone number, a LINE
// id), and not a web contact whose id an organization member saw on the conversation page.

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;
const COOKIE_VALUE = /^([A-Za-z0-9_-]{22,64})\.([A-Za-z0-9_-]{43})$/;

export const contactCookieName = (botId: string) => `sb_contact_${botId}`;

function signature(botId: string, contactId: string): string {
  return createHmac("sha256", appSecret()).update(`web-chat-contact\0${botId}\0${contactId}`).digest("base64url");
}

/** The cookie value for a contact id: `<id>.<signature>`. */
export function signContactCookie(botId: string, contactId: string): string {
  return `${contactId}.${signature(botId, contactId)}`;
}

/** The contact id in a cookie value, or null when it is malformed, unsigned or signed for something else. */
export function verifyContactCookie(botId: string, value: string | undefined): string | null {
  const match = value ? COOKIE_VALUE.exec(value) : null;
  if (!match) return null;
  const [, contactId, given] = match;
  const expected = Buffer.from(signature(botId, contactId));
  return timingSafeEqual(Buffer.from(given), expected) ? contactId : null;
}

/** The web contact's id in this request's cookie for the bot, or null when absent or not validly signed. */
export async function readContactId(botId: string): Promise<string | null> {
  return verifyContactCookie(botId, (await cookies()).get(contactCookieName(botId))?.value);
}

/** Remembers the contact on this browser for a year, for this bot's chat only. */
export async function setContactId(botId: string, contactId: string) {
  (await cookies()).set(contactCookieName(botId), signContactCookie(botId, contactId), {
    httpOnly: true,
    sameSite: "lax",
    secure: env.secureCookies,
    path: `/chat/${botId}`,
    maxAge: ONE_YEAR_SECONDS,
  });
}
