"use client";

import { useState } from "react";
import { LoadEarlierButton, useEarlierPages } from "@/components/conversations/load-earlier";

export type PickableMessage = { id: string; role: string; text: string };

type Props = {
  /** The newest page of messages, as the conversation page loaded it. */
  initialMessages: PickableMessage[];
  initialCursor: string | null;
  /** Where earlier pages come from (`?before=<cursor>`): the conversation's messages route. */
  pagesUrl: string;
  selected: ReadonlySet<string>;
  onToggle: (id: string, on: boolean) => void;
};

/**
 * The partial share's message picker. It pages back through the whole conversation, and the
 * chosen ids travel as hidden fields, so a choice on a page not loaded yet (a saved share's
 * older messages) is kept rather than dropped.
 */
export function MessagePicker({ initialMessages, initialCursor, pagesUrl, selected, onToggle }: Props) {
  const [messages, setMessages] = useState(initialMessages);
  const pages = useEarlierPages(pagesUrl, initialCursor, (page) =>
    setMessages((current) => {
      const seen = new Set(current.map((message) => message.id));
      const earlier = page.messages.filter((message) => !seen.has(message.id)).map(({ id, role, text }) => ({ id, role, text }));
      return [...earlier, ...current];
    }),
  );

  return (
    <div className="flex flex-col gap-1">
      {[...selected].map((id) => (
        <input key={id} type="hidden" name="messageIds" value={id} />
      ))}
      <p className="text-sm text-gray-700" aria-live="polite">
        {selected.size} {selected.size === 1 ? "message" : "messages"} chosen
      </p>
      <div className="max-h-56 overflow-x-hidden overflow-y-auto rounded border border-gray-200 p-2 text-sm">
        <LoadEarlierButton pages={pages} className="mb-2 text-center" />
        <ul aria-label="Pick messages" className="flex flex-col gap-1">
          {messages.map((message) => (
            <li key={message.id} className="min-w-0">
              <label className="flex min-w-0 items-start gap-2">
                <input
                  type="checkbox"
                  className="mt-1 shrink-0"
                  checked={selected.has(message.id)}
                  onChange={(event) => onToggle(message.id, event.target.checked)}
                />
                <span className="line-clamp-2 min-w-0 flex-1 [overflow-wrap:anywhere]">
                  <span className="text-gray-500">{message.role.toLowerCase()}:</span> {message.text.slice(0, 200)}
                </span>
              </label>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
