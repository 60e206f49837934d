"use client";

import { useEffect, useRef } from "react";
import type { ConversationEvent } from "@/lib/events/types";

/** The stream's identity: its URL without `after`, the position it starts from. */
function streamKey(url: string) {
  const parsed = new URL(url, "http://stream.invalid");
  parsed.searchParams.delete("after");
  return `${parsed.pathname}?${parsed.searchParams}`;
}

type Listener = (event: ConversationEvent) => void;

/**
 * Open streams by key, shared by every component of the page that follows the same conversation
 * (the messages, the header's counts, the file list): one connection, not one per component.
 */
const streams = new Map<string, { source: EventSource; listeners: Set<Listener> }>();

function subscribe(key: string, url: string, listener: Listener): () => void {
  let stream = streams.get(key);
  if (!stream) {
    const listeners = new Set<Listener>();
    const source = new EventSource(url);
    const receive = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as ConversationEvent;
      for (const each of listeners) each(event);
    };
    source.addEventListener("message", receive);
    source.addEventListener("control", receive);
    source.addEventListener("control_request", receive);
    source.addEventListener("read", receive);
    stream = { source, listeners };
    streams.set(key, stream);
  }
  const opened = stream;
  opened.listeners.add(listener);
  return () => {
    opened.listeners.delete(listener);
    if (opened.listeners.size > 0) return;
    opened.source.close();
    streams.delete(key);
  };
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
    return subscribe(key, latestUrl.current, (event) => handler.current(event));
  }, [key]);
}
