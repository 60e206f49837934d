"use client";

import { useEffect, useRef, useState } from "react";
import { ChatComposer } from "@/components/chat/chat-composer";
import { useReadReceipt } from "@/components/chat/use-read-receipt";
import { TypingIndicator } from "@/components/conversations/typing-indicator";
import { MessageItem } from "@/components/conversations/message-item";
import type { MessageView } from "@/lib/conversations/message-view";
import { useConversationEvents } from "@/components/conversations/use-conversation-events";

type Props = {
  botId: string;
  botName: string;
  /** The conversation the contact talks in (another bot's while transferred); null before the first message. */
  conversationId: string | null;
  /**
   * The contact's own conversation the chat was opened on (`?conversation=`, as after "Continue
   * this conversation"); null: their latest. Messages and live events stay on its thread.
   */
  threadId: string | null;
  initialMessages: MessageView[];
  /** Older messages exist beyond the ones shown. */
  hasEarlier: boolean;
  /** The event id to listen after; null until the contact has a conversation. */
  eventsAfter: string | null;
  maxUploadBytes: number;
};

/** Adds messages not seen yet (live events repeat what a POST already returned), in order. */
function mergeMessages(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const known = new Set(current.map((message) => message.id));
  const fresh = incoming.filter((message) => !known.has(message.id));
  if (fresh.length === 0) return current;
  // Positions are opaque; time orders the thread (a stable sort keeps same-millisecond messages as they came).
  return [...current, ...fresh].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

/**
 * The thread spans the conversations of a transfer, and both sides record its end ("Control
 * returned to …") back to back: the contact reads such a repeated system line once.
 */
function withoutRepeatedNotices(messages: MessageView[]): MessageView[] {
  return messages.filter((message, index) => {
    const previous = messages[index - 1];
    return !(message.role === "SYSTEM" && previous?.role === "SYSTEM" && previous.text === message.text);
  });
}

// Contact on the right and replies on the left, as in any messenger: the contact is "you" here.
const CONTACT_VIEW =
  "[&>[data-role=contact]]:ml-auto [&>[data-role=contact]]:mr-0 [&>[data-role=contact]]:bg-blue-50 [&>[data-role=contact]]:border-blue-100 " +
  "[&>[data-role=bot]]:ml-0 [&>[data-role=bot]]:mr-auto [&>[data-role=bot]]:bg-white [&>[data-role=bot]]:border-gray-200 " +
  "[&>[data-role=operator]]:ml-0 [&>[data-role=operator]]:mr-auto";

/** The author as the contact reads it: "You", the bot's name, the operator's name. */
function authorLabel(message: MessageView, botName: string): string | undefined {
  if (message.role === "CONTACT") return "You";
  if (message.role === "BOT") return message.authorName ?? botName;
  if (message.role === "OPERATOR") return message.authorName ?? "Operator";
  return undefined;
}

export function ChatWindow({ botId, botName: initialBotName, conversationId, threadId, initialMessages, hasEarlier, eventsAfter, maxUploadBytes }: Props) {
  const [messages, setMessages] = useState(initialMessages);
  // The bot answering now: another one's name while the chat is transferred to it.
  const [botName, setBotName] = useState(initialBotName);
  // When a transfer starts or ends, the stream reconnects: the server then streams the conversation
  // the contact now talks in (event ids are global, so "after" still skips what was shown).
  const [followed, setFollowed] = useState(conversationId);
  // A contact's first message creates the conversation; from then on every event of it is new.
  const [listenAfter, setListenAfter] = useState(eventsAfter);
  const bottom = useRef<HTMLDivElement>(null);

  // The followed conversation is in the URL (the server ignores it) so that a transfer reconnects.
  const thread = threadId ? `thread=${threadId}` : "";
  const eventsUrl = listenAfter === null ? null : `/chat/${botId}/events?after=${listenAfter}&conversation=${followed ?? ""}${thread && `&${thread}`}`;
  useConversationEvents(eventsUrl, (event) => {
    // Control changes (an operator joins, the bot is back) arrive as system messages too.
    if (event.type === "message") setMessages((current) => mergeMessages(current, [event.message]));
  });

  useReadReceipt(followed && `/chat/${botId}/read`, messages);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: "end" });
  }, [messages.length]);

  const onSent = (sent: MessageView[], activeConversationId: string, answeringBotName: string | null) => {
    setMessages((current) => mergeMessages(current, sent));
    if (answeringBotName) setBotName(answeringBotName);
    setListenAfter((after) => after ?? "0");
    setFollowed(activeConversationId);
  };

  return (
    // One <main> around the header, the messages and the composer: every control is in a landmark.
    <main className="mx-auto flex h-dvh max-w-2xl flex-col bg-white sm:border-x sm:border-gray-200">
      <header className="flex items-center gap-3 border-b border-gray-200 px-4 py-3">
        <span aria-hidden className="flex size-9 items-center justify-center rounded-full bg-brand text-sm font-semibold text-on-brand">
          {botName.slice(0, 1).toUpperCase()}
        </span>
        <h1 className="font-semibold" data-testid="chat-bot-name">
          {botName}
        </h1>
      </header>
      <section className="flex-1 overflow-y-auto px-3 py-4" aria-live="polite" aria-label="Conversation">
        {messages.length === 0 ? (
          <p className="mt-16 text-center text-gray-500">Say hello to {botName}. Write your message below to start.</p>
        ) : (
          <>
            {hasEarlier && <p className="mb-3 text-center text-xs text-gray-500">Earlier messages are not shown.</p>}
            <ul className={`flex flex-col gap-2 ${CONTACT_VIEW}`} data-testid="chat-messages">
              {withoutRepeatedNotices(messages).map((message) => (
                <MessageItem key={message.id} message={message} fileBaseUrl={`/chat/${botId}/files`} label={authorLabel(message, botName)} />
              ))}
            </ul>
          </>
        )}
        <TypingIndicator url={followed && `/chat/${botId}/typing?conversation=${followed}`} who="The operator" />
        <div ref={bottom} />
      </section>
      <ChatComposer
        messagesUrl={`/chat/${botId}/messages${thread && `?${thread}`}`}
        typingUrl={listenAfter === null ? null : `/chat/${botId}/typing`}
        askName={listenAfter === null}
        maxUploadBytes={maxUploadBytes}
        onSent={onSent}
      />
    </main>
  );
}
