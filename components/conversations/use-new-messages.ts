"use client";

import { useState } from "react";
import { useConversationEvents } from "@/components/conversations/use-conversation-events";
import type { MessageView } from "@/lib/conversations/message-view";
import type { ConversationEvent } from "@/lib/events/types";

/**
 * Messages that arrived live after the page rendered, each once. The stream may replay a message
 * the page already shows (its position is read before the messages: lib/conversations/view.ts),
 * so the page's own messages are passed as `knownIds` and skipped.
 */
export function useNewMessages(eventsUrl: string | null, knownIds: readonly string[], onControl?: (event: Extract<ConversationEvent, { type: "control" }>) => void) {
  const [messages, setMessages] = useState<MessageView[]>([]);
  useConversationEvents(eventsUrl, (event) => {
    if (event.type === "control") return onControl?.(event);
    if (event.type !== "message") return;
    if (knownIds.includes(event.message.id)) return;
    setMessages((current) => (current.some((message) => message.id === event.message.id) ? current : [...current, event.message]));
  });
  return messages;
}
