"use client";

import { useState } from "react";
import { MessageReader } from "@/components/conversations/message-reader";
import { OperatorConsole, type OperatorActions } from "@/components/conversations/operator-console";
import { ReadState } from "@/components/conversations/read-state";
import { useConversationEvents } from "@/components/conversations/use-conversation-events";
import type { MessagePage, MessageView } from "@/lib/conversations/message-view";
import type { Controller } from "@/lib/generated/prisma/enums";

export type ControlState = { controller: Controller; operatorName: string | null };

/**
 * A conversation that updates itself: new messages and control changes arrive over SSE from
 * `eventsUrl` (after event `afterEventId`, the newest when the page rendered).
 */
export function LiveConversation({
  initialPage,
  pagesUrl,
  fileBaseUrl,
  eventsUrl,
  initialControl,
  initialSeenMessageId,
  operator,
}: {
  initialPage: MessagePage;
  pagesUrl: string;
  fileBaseUrl: string;
  /** null: not live (a partial share). */
  eventsUrl: string | null;
  initialControl: ControlState;
  /** The newest message the contact's web chat has shown them (the console's "Seen"). */
  initialSeenMessageId: string | null;
  /** Present where this reader may take over. */
  operator?: OperatorActions & { holding: boolean; takeOverOnOpen: boolean; askName: boolean };
}) {
  const [liveMessages, setLiveMessages] = useState<MessageView[]>([]);
  const [control, setControl] = useState<ControlState>(initialControl);
  const [seenMessageId, setSeenMessageId] = useState(initialSeenMessageId);
  useConversationEvents(eventsUrl, (event) => {
    if (event.type === "message") setLiveMessages((current) => [...current, event.message]);
    else if (event.type === "read") setSeenMessageId(event.messageId);
    else setControl({ controller: event.controller, operatorName: event.operatorName });
  });

  return (
    <div className="flex flex-col gap-3">
      <p
        className="rounded-md bg-gray-100 px-3 py-1.5 text-sm text-gray-700"
        data-testid="control-state"
        aria-live="polite"
      >
        {control.controller === "OPERATOR"
          ? `Taken over by ${control.operatorName ?? "an operator"}`
          : control.controller === "TRANSFERRED"
            ? "Transferred to another bot"
            : "The bot is answering"}
      </p>
      <MessageReader
        initialPage={initialPage}
        pagesUrl={pagesUrl}
        fileBaseUrl={fileBaseUrl}
        liveMessages={liveMessages}
      />
      {operator && <ReadState messages={[...initialPage.messages, ...liveMessages]} seenMessageId={seenMessageId} />}
      {operator && <OperatorConsole {...operator} controller={control.controller} />}
    </div>
  );
}
