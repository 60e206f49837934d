import { createHmac, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

// Without NEXTAUTH_SECRET (`next dev`, tests) a secret made per process, kept on globalThis so
// every bundle of the dev server agrees: what it signs then lasts until a restart. Production
// refuses to run without one, as next-auth does (npm start generates one into ./data/auth-secret).
const globalForSecret = globalThis as unknown as { switchboardAppSecret?: string };

/** The installation's secret (NEXTAUTH_SECRET): signs sessions, web-chat cookies and opaque positions. */
export function appSecret(): string {
  if (env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  if (env.NODE_ENV === "production") throw new Error("NEXTAUTH_SECRET must be set in production (it signs sessions and web-chat cookies).");
  globalForSecret.switchboardAppSecret ??= randomBytes(32).toString("base64url");
  return globalForSecret.switchboardAppSecret;
}

/** A 32-byte key for one purpose, derived from the app secret, so no two uses share a key. */
export function derivedKey(purpose: string): Buffer {
  return createHmac("sha256", appSecret()).update(`switchboard-key\0${purpose}`).digest();
}
