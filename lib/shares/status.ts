/** A share's status is never stored: it follows from revokedAt and expiresAt. */
export type ShareStatus = "active" | "revoked" | "expired";

export function shareStatus(
  share: { revokedAt: Date | null; expiresAt: Date | null },
  now = new Date(),
): ShareStatus {
  if (share.revokedAt) return "revoked";
  if (share.expiresAt && share.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

/** The `where` that matches active shares at `now`. */
export function activeShareWhere(now = new Date()) {
  return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
}
