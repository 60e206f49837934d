"use client";

import { useNewMessages } from "@/components/conversations/use-new-messages";
import { RelativeTime } from "@/components/ui/relative-time";

/**
 * The share page's "Updated" and "Messages", following the conversation's event stream (a full
 * share; a partial share passes no stream and stays as it was shared).
 */
export function LiveShareFacts({
  eventsUrl,
  knownMessageIds,
  messageCount,
  updatedAt,
}: {
  eventsUrl: string | null;
  knownMessageIds: string[];
  messageCount: number;
  updatedAt: string;
}) {
  const arrived = useNewMessages(eventsUrl, knownMessageIds);
  return (
    <>
      <div>
        <dt className="inline">Updated: </dt>
        <dd className="inline">
          <RelativeTime iso={arrived.at(-1)?.createdAt ?? updatedAt} />
        </dd>
      </div>
      <div>
        <dt className="inline">Messages: </dt>
        <dd className="inline" data-testid="share-message-count">
          {messageCount + arrived.length}
        </dd>
      </div>
    </>
  );
}
