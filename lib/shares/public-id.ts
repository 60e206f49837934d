import { randomBytes } from "node:crypto";

/** 192 bits from the OS CSPRNG, base64url: 32 URL-safe characters, unguessable. */
export function newSharePublicId(): string {
  return randomBytes(24).toString("base64url");
}

export const SHARE_PUBLIC_ID_PATTERN = /^[A-Za-z0-9_-]{22,64}$/;
