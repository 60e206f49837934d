import "server-only";
import { env } from "@/lib/env";
import { assertWithinLimit, consumeLimit, countAgainstLimit, resetLimit, type Limit } from "@/lib/rate-limit/limiter";

// Each limit reads its setting on use, so a changed variable (or a test) takes effect at once.
const signInAccount = (): Limit => ({ name: "sign-in-account", setting: env.RATE_LIMIT_SIGN_IN_ACCOUNT });
const signInIp = (): Limit => ({ name: "sign-in-ip", setting: env.RATE_LIMIT_SIGN_IN_IP });
const chatContact = (): Limit => ({ name: "chat-contact", setting: env.RATE_LIMIT_CHAT_CONTACT });
const chatIp = (): Limit => ({ name: "chat-ip", setting: env.RATE_LIMIT_CHAT_IP });
const shareLookupIp = (): Limit => ({ name: "share-lookup-ip", setting: env.RATE_LIMIT_SHARE_LOOKUP_IP });
const presence = (): Limit => ({ name: "presence", setting: env.RATE_LIMIT_PRESENCE });
const continueIp = (): Limit => ({ name: "continue-ip", setting: env.RATE_LIMIT_CONTINUE_IP });
const apiToken = (): Limit => ({ name: "api-token", setting: env.RATE_LIMIT_API_TOKEN });

/** The sign-in form shows this sentence as it is. */
export const signInRefusal = (seconds: number) => `Too many attempts, try again in ${seconds} s.`;

/**
 * Refuses a sign-in before the password is checked when the account or the address has failed
 * too often in the window: the right password is refused too, so guessing on stops paying off.
 * Unknown emails count like known ones, so the refusal says nothing about which accounts exist.
 */
export async function assertSignInAllowed({ email, ip }: { email: string; ip: string }): Promise<void> {
  await assertWithinLimit(signInAccount(), email, signInRefusal);
  await assertWithinLimit(signInIp(), ip, signInRefusal);
}

export async function recordFailedSignIn({ email, ip }: { email: string; ip: string }): Promise<void> {
  await Promise.all([countAgainstLimit(signInAccount(), email), countAgainstLimit(signInIp(), ip)]);
}

/** A successful sign-in forgets the account's failures (the address keeps its count). */
export async function recordSuccessfulSignIn({ email }: { email: string }): Promise<void> {
  await resetLimit(signInAccount(), email);
}

/**
 * One web-chat write: a message costs a point, and each attached file one more. Counted per
 * address (new contacts have no cookie yet) and per contact (one cookie, many addresses).
 */
export async function consumeChatWrite({ ip, contactKey, points = 1 }: { ip: string; contactKey: string | null; points?: number }): Promise<void> {
  await consumeLimit(chatIp(), ip, points);
  if (contactKey) await consumeLimit(chatContact(), contactKey, points);
}

/**
 * Share ids are 128-bit random tokens, so only guessing produces misses: an address is refused
 * once it has looked up too many unknown or unavailable ids, while viewers of a real link (the
 * page, its live events, files and ZIP: many requests) are never counted.
 */
export async function assertShareLookupAllowed(ip: string): Promise<void> {
  await assertWithinLimit(shareLookupIp(), ip);
}

export async function recordFailedShareLookup(ip: string): Promise<void> {
  await countAgainstLimit(shareLookupIp(), ip);
}

/**
 * One "Continue this conversation" by this address: a new one copies the shared messages and
 * their files, so it costs more than a chat message and is counted on its own.
 */
export async function consumeContinuation(ip: string): Promise<void> {
  await consumeLimit(continueIp(), ip);
}

/** One REST API request with this token (its id); the REST wrapper calls it after authenticating. */
export async function consumeApiToken(tokenId: string): Promise<void> {
  await consumeLimit(apiToken(), tokenId, 1, (seconds) => `Too many requests with this token. Try again in ${seconds} s.`);
}

/** One typing or read-state report by one party of a live chat (a web contact, a takeover session). */
export async function consumePresenceReport(partyKey: string): Promise<void> {
  await consumeLimit(presence(), partyKey, 1, (seconds) => `Too many updates. Try again in ${seconds} s.`);
}
