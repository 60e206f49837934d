// Kept apart from token-manager.tsx: that file is "use client", and a function exported from a
// client module cannot be called by a server component (the bot page and /settings/tokens
// crashed with "Attempted to call toTokenRows() from the server").

/** A token as the list shows it (dates as ISO strings). */
export type TokenRow = { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null; revokedAt: string | null };

/** Lists' dates as ISO strings for the client. */
export function toTokenRows(tokens: { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }[]): TokenRow[] {
  return tokens.map((token) => ({
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  }));
}
