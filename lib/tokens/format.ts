import { createHash, randomBytes } from "node:crypto";

// A token is `sb_bot_` or `sb_pat_` followed by 32 base62 characters: 32 × log2(62) ≈ 190.5 bits
// from the CSPRNG. Only its SHA-256 is stored; its first characters are kept to recognise it.

export const TOKEN_PREFIXES = { BOT: "sb_bot_", PERSONAL: "sb_pat_" } as const;
export const TOKEN_SECRET_LENGTH = 32;
/** How many leading characters of a token are stored and shown (e.g. "sb_bot_AbCdE"). */
export const TOKEN_DISPLAY_PREFIX_LENGTH = 12;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** Bytes ≥ this would make some characters likelier than others, so they are drawn again. */
const UNBIASED_LIMIT = 256 - (256 % BASE62.length);

/** `sb_bot_<32 base62>` or `sb_pat_<32 base62>`: the shape every token has. */
export const TOKEN_PATTERN = /^sb_(bot|pat)_[0-9A-Za-z]{32}$/;

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % BASE62.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function newPlainToken(kind: keyof typeof TOKEN_PREFIXES): string {
  return TOKEN_PREFIXES[kind] + randomBase62(TOKEN_SECRET_LENGTH);
}

/** SHA-256 hex of the whole token: what the database stores and looks tokens up by. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function displayPrefix(token: string): string {
  return token.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH);
}
