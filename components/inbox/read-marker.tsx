"use client";

import { useEffect } from "react";
import { markConversationReadAction } from "@/app/(app)/conversations/[id]/read-actions";
import { useConversationEvents } from "@/components/conversations/use-conversation-events";

/**
 * Marks the conversation read for the member once its page has loaded in a browser (never on a
 * server render, which a prefetch could trigger), and again for each contact message that arrives
 * while the page is in view.
 */
export function ReadMarker({ conversationId, eventsUrl }: { conversationId: string; eventsUrl: string }) {
  useEffect(() => {
    void markConversationReadAction(null, { conversationId });
  }, [conversationId]);
  useConversationEvents(eventsUrl, (event) => {
    if (event.type === "message" && event.message.role === "CONTACT" && document.visibilityState === "visible") {
      void markConversationReadAction(null, { conversationId });
    }
  });
  return null;
}
