import type { MessageView } from "@/lib/conversations/message-view";

/**
 * Under the newest operator message: whether the contact's web chat has shown it ("Seen"), from
 * the newest message it reported showing. `messages` in thread order.
 */
export function ReadState({ messages, seenMessageId }: { messages: MessageView[]; seenMessageId: string | null }) {
  const lastOperator = messages.findLastIndex((message) => message.role === "OPERATOR");
  if (lastOperator < 0) return null;
  const seen = seenMessageId !== null && messages.findIndex((message) => message.id === seenMessageId) >= lastOperator;
  return (
    <p data-testid="read-state" className="text-right text-xs text-gray-500">
      {seen ? "Seen" : "Not seen yet"}
    </p>
  );
}
