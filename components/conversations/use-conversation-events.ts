"use client";

import { useEffect, useRef } from "react";
import type { ConversationEvent } from "@/lib/events/types";

/**
 * Subscribes to a conversation's Server-Sent Events. The browser's EventSource reconnects by
 * itself and sends Last-Event-ID, so the server resumes exactly after the last event seen.
 */
export function useConversationEvents(url: string | null, onEvent: (event: ConversationEvent) => void) {
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });
  useEffect(() => {
    if (!url) return;
    const source = new EventSource(url);
    const receive = (message: MessageEvent<string>) => handler.current(JSON.parse(message.data) as ConversationEvent);
    source.addEventListener("message", receive);
    source.addEventListener("control", receive);
    return () => source.close();
  }, [url]);
}
