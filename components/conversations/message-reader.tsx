"use client";

import { useMemo, useState } from "react";
import { LoadEarlierButton, useEarlierPages } from "@/components/conversations/load-earlier";
import { MessageItem } from "@/components/conversations/message-item";
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
  const pages = useEarlierPages(pagesUrl, initialPage.earlierCursor, (page) => setMessages((current) => [...page.messages, ...current]));

  if (messages.length === 0) {
    return <p className="py-8 text-center text-gray-500">No messages yet.</p>;
  }
  return (
    <div>
      <LoadEarlierButton pages={pages} className="mb-3 text-center" />
      <ol className="flex flex-col gap-2">
        {messages.map((message) => (
          <MessageItem key={message.id} message={message} fileBaseUrl={fileBaseUrl} />
        ))}
      </ol>
    </div>
  );
}
