"use client";

import { useEffect } from "react";
import { markConversationReadAction } from "@/app/(app)/conversations/[id]/read-actions";
import { useInboxRows } from "@/components/inbox/inbox-stream";

/**
 * Marks the conversation read for the member once its page has loaded in a browser (never on a
 * server render, which a prefetch could trigger), and again whenever the inbox stream says it has
 * unread contact messages while the page is in view.
 */
export function ReadMarker({ conversationId }: { conversationId: string }) {
  useEffect(() => {
    void markConversationReadAction(null, { conversationId });
  }, [conversationId]);
  useInboxRows((item) => {
    if (item.id === conversationId && item.unread > 0 && document.visibilityState === "visible") {
      void markConversationReadAction(null, { conversationId });
    }
  });
  return null;
}
