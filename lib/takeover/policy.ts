import type { ShareMode } from "@/lib/generated/prisma/enums";

/** Whether a share link lets whoever opens it take the conversation over. */
export function shareAllowsTakeover(share: { mode: ShareMode; shareType: "FULL" | "PARTIAL" }): boolean {
  // A partial share shows a fixed excerpt; operating a live chat through it would show more.
  return share.mode !== "VIEW" && share.shareType === "FULL";
}
