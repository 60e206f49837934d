"use client";

import { useEffect, useRef, useState } from "react";
import { MessageReader } from "@/components/conversations/message-reader";
import type { NameRequest } from "@/components/conversations/operator-name-field";
import {
  OperatorConsole,
  type ControlRequest,
  type LiveControl,
  type OperatorActions,
} from "@/components/conversations/operator-console";
import { ReadState } from "@/components/conversations/read-state";
import { useConversationEvents } from "@/components/conversations/use-conversation-events";
import type { MessagePage, MessageView } from "@/lib/conversations/message-view";

export type ControlState = LiveControl;

/** Whether the reader is at (or near) the newest message: then new messages keep them there. */
function nearBottom() {
  return document.documentElement.scrollHeight - (window.scrollY + window.innerHeight) < 400;
}

/**
 * A conversation that updates itself: new messages and control changes arrive over SSE from
 * `eventsUrl` (after event `afterEventId`, the newest when the page rendered). Where the reader
 * may operate, the page opens at the newest message with the console (sticky) below it.
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
  operator?: OperatorActions & { heldSessionId: string | null; takeOverOnOpen: boolean; nameRequest: NameRequest };
}) {
  const [liveMessages, setLiveMessages] = useState<MessageView[]>([]);
  const [control, setControl] = useState<ControlState>(initialControl);
  const [requests, setRequests] = useState<ControlRequest[]>([]);
  const [seenMessageId, setSeenMessageId] = useState(initialSeenMessageId);
  const end = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  useConversationEvents(eventsUrl, (event) => {
    if (event.type === "message") {
      follow.current = nearBottom();
      setLiveMessages((current) => [...current, event.message]);
    } else if (event.type === "control_request") {
      setRequests((current) => [...current, { id: event.id, operatorName: event.operatorName, sessionId: event.sessionId }]);
    } else if (event.type === "read") {
      setSeenMessageId(event.messageId);
    } else {
      setControl({ controller: event.controller, operatorName: event.operatorName, sessionId: event.sessionId ?? null });
    }
  });
  const operating = operator !== undefined;

  useEffect(() => {
    if (operating) end.current?.scrollIntoView({ block: "end" });
  }, [operating]);
  useEffect(() => {
    if (operating && follow.current) end.current?.scrollIntoView({ block: "end" });
  }, [operating, liveMessages.length]);

  return (
    <div className="flex flex-col gap-3">
      <p className="rounded-md bg-gray-100 px-3 py-1.5 text-sm text-gray-700" data-testid="control-state" aria-live="polite">
        {control.controller === "OPERATOR"
          ? `Taken over by ${control.operatorName ?? "an operator"}`
          : control.controller === "TRANSFERRED"
            ? "Transferred to another bot"
            : "The bot is answering"}
      </p>
      <MessageReader initialPage={initialPage} pagesUrl={pagesUrl} fileBaseUrl={fileBaseUrl} liveMessages={liveMessages} />
      {operator && <ReadState messages={[...initialPage.messages, ...liveMessages]} seenMessageId={seenMessageId} />}
      {operator && <OperatorConsole {...operator} control={control} requests={requests} />}
      <div ref={end} />
    </div>
  );
}
