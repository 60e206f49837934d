"use client";

import { useMemo, useState } from "react";
import { MessageItem } from "@/components/conversations/message-item";
import { Button } from "@/components/ui/button";
import type { MessagePage, MessageView } from "@/lib/conversations/queries";

/**
 * The messages of a conversation, newest page first; "Load earlier messages" fetches the page
 * before from `pagesUrl?before=<cursor>`, so long conversations never render all at once.
 */
export function MessageReader({
  initialPage,
  pagesUrl,
  fileBaseUrl,
  liveMessages = [],
}: {
  initialPage: MessagePage;
  pagesUrl: string;
  fileBaseUrl: string;
  /** Messages that arrived live after the page rendered. */
  liveMessages?: MessageView[];
}) {
  const [loaded, setMessages] = useState<MessageView[]>(initialPage.messages);
  const messages = useMemo(() => {
    const seen = new Set(loaded.map((message) => message.id));
    return [...loaded, ...liveMessages.filter((message) => !seen.has(message.id))];
  }, [loaded, liveMessages]);
  const [cursor, setCursor] = useState(initialPage.earlierCursor);
  const [state, setState] = useState<"idle" | "loading" | "failed">("idle");

  async function loadEarlier() {
    if (!cursor) return;
    setState("loading");
    try {
      const response = await fetch(`${pagesUrl}?before=${encodeURIComponent(cursor)}`, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const page = (await response.json()) as MessagePage;
      setMessages((current) => [...page.messages, ...current]);
      setCursor(page.earlierCursor);
      setState("idle");
    } catch {
      setState("failed");
    }
  }

  if (messages.length === 0) {
    return <p className="py-8 text-center text-gray-500">No messages yet.</p>;
  }
  return (
    <div>
      {cursor && (
        <div className="mb-3 text-center">
          <Button variant="secondary" onClick={loadEarlier} disabled={state === "loading"}>
            {state === "loading" ? "Loading…" : "Load earlier messages"}
          </Button>
          {state === "failed" && <p className="mt-1 text-sm text-red-700">Could not load messages. Try again.</p>}
        </div>
      )}
      <ol className="flex flex-col gap-2">
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} fileBaseUrl={fileBaseUrl} />
        ))}
      </ol>
    </div>
  );
}
