"use client";

import { useEffect, useRef } from "react";
import type { ConversationEvent } from "@/lib/events/types";

/** The stream's identity: its URL without `after`, the position it starts from. */
function streamKey(url: string) {
  const parsed = new URL(url, "http://stream.invalid");
  parsed.searchParams.delete("after");
  return `${parsed.pathname}?${parsed.searchParams}`;
}

/**
 * Subscribes to a conversation's Server-Sent Events. The browser's EventSource reconnects by
 * itself and sends Last-Event-ID, so the server resumes exactly after the last event seen.
 *
 * A server action re-renders the page with a newer `after` while the components keep their state;
 * restarting the stream there would skip every event the old stream had not delivered yet (with
 * several instances the wake-up often arrives after the re-render). So the open stream stays
 * unless the stream itself changes.
 */
export function useConversationEvents(url: string | null, onEvent: (event: ConversationEvent) => void) {
  const handler = useRef(onEvent);
  const latestUrl = useRef(url);
  useEffect(() => {
    handler.current = onEvent;
    latestUrl.current = url;
  });
  const key = url === null ? null : streamKey(url);
  useEffect(() => {
    if (key === null || !latestUrl.current) return;
    const source = new EventSource(latestUrl.current);
    const receive = (message: MessageEvent<string>) => handler.current(JSON.parse(message.data) as ConversationEvent);
    source.addEventListener("message", receive);
    source.addEventListener("control", receive);
    source.addEventListener("control_request", receive);
    source.addEventListener("read", receive);
    return () => source.close();
  }, [key]);
}
