"use client";

import { useState } from "react";
import { useNewMessages } from "@/components/conversations/use-new-messages";
import { RelativeTime } from "@/components/ui/relative-time";
import type { Controller } from "@/lib/generated/prisma/enums";

const CONTROLLER_LABELS: Record<Controller, string> = { BOT: "Bot in control", OPERATOR: "Operator in control", TRANSFERRED: "Transferred" };

/**
 * The header's "who is in control · N messages · last message …", following the conversation's
 * event stream. "Last message" is the same moment the conversation list shows (lastMessageAt).
 */
export function LiveFacts({
  eventsUrl,
  knownMessageIds,
  controller: initialController,
  messageCount,
  lastMessageAt,
}: {
  eventsUrl: string;
  knownMessageIds: string[];
  controller: Controller;
  messageCount: number;
  lastMessageAt: string;
}) {
  const [controller, setController] = useState(initialController);
  const arrived = useNewMessages(eventsUrl, knownMessageIds, (event) => setController(event.controller));
  const count = messageCount + arrived.length;
  const last = arrived.at(-1)?.createdAt ?? lastMessageAt;
  return (
    <>
      {CONTROLLER_LABELS[controller]} · <span data-testid="message-count">{count} {count === 1 ? "message" : "messages"}</span> ·{" "}
      {count === 0 ? "no messages yet" : <>last message <RelativeTime iso={last} /></>}
    </>
  );
}
