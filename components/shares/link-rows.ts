// Kept apart from links-table.tsx: a function exported from a "use client" module cannot be
// called by a server component.
import type { ListedShare } from "@/lib/shares/list";
import type { ShareStatus } from "@/lib/shares/status";

/** One row of the links table: what the links page and the share modal show of a share. */
export type LinkRow = {
  id: string;
  url: string;
  conversationId: string;
  conversationTitle: string;
  mode: "VIEW" | "TAKEOVER" | "AUTO";
  visibility: "PUBLIC" | "ORGANIZATION" | "PRIVATE";
  status: ShareStatus;
  viewCount: number;
  lastViewedAt: Date | null;
  continuationCount: number;
  /** The member's name, or the bot's (null once that bot is deleted). */
  creatorName: string | null;
  createdByBot: boolean;
  createdAt: Date;
  expiresAt: Date | null;
};

/** The listed shares as rows: only what the table shows reaches the browser. */
export function toLinkRows(shares: ListedShare[]): LinkRow[] {
  return shares.map((share) => ({
    id: share.id,
    url: share.url,
    conversationId: share.conversationId,
    conversationTitle: share.conversationTitle,
    mode: share.mode,
    visibility: share.visibility,
    status: share.status,
    viewCount: share.viewCount,
    lastViewedAt: share.lastViewedAt,
    continuationCount: share.continuationCount,
    creatorName: share.creatorName,
    createdByBot: share.userId === null,
    createdAt: share.createdAt,
    expiresAt: share.expiresAt,
  }));
}
