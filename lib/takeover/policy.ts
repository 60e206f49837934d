import type { Actor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import type { ShareMode } from "@/lib/generated/prisma/enums";

/** Whether a share link lets whoever opens it take the conversation over. */
export function shareAllowsTakeover(share: { mode: ShareMode; shareType: "FULL" | "PARTIAL" }): boolean {
  // A partial share shows a fixed excerpt; operating a live chat through it would show more.
  return share.mode !== "VIEW" && share.shareType === "FULL";
}

/**
 * Whether the actor may take control back from an operator (End session, or Take over while
 * someone holds the chat): a person who manages the conversation, its organization's owners and
 * admins. Never a link, a bot or another operator: those ask the holder instead.
 */
export function mayOverrideControl(actor: Actor, organizationId: string): boolean {
  return actor.kind === "user" && organizationIdsFor(actor, "share").includes(organizationId);
}
