/** The facts about a link that decide who can open it and what they can do there. */
export type ShareAudienceFacts = {
  mode: "VIEW" | "TAKEOVER" | "AUTO";
  visibility: "PUBLIC" | "ORGANIZATION" | "PRIVATE";
  /** The member who created it; null when a bot did. */
  userId: string | null;
};

/**
 * The sentence the share modal heads its link with: who can open it (lib/shares/policy.ts
 * canViewShare) and what they can do there, as it is true for this link.
 */
export function describeShareAudience(share: ShareAudienceFacts, currentUserId: string): string {
  const who =
    share.visibility === "PUBLIC"
      ? "Anyone with this link"
      : share.visibility === "ORGANIZATION"
        ? "Signed-in members of your organization with this link"
        : share.userId === currentUserId
          ? "Only you (signed in)"
          : share.userId === null
            ? "Only your organization's owners and admins"
            : "Only the member who created this link";
  const what =
    share.mode === "VIEW"
      ? "can view the conversation"
      : share.mode === "TAKEOVER"
        ? "can view the conversation and take over the chat"
        : "can view the conversation and take over the chat until the link expires";
  return `${who} ${what}.`;
}
