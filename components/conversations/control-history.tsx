import { RelativeTime } from "@/components/ui/relative-time";
import type { ControlHistoryEntry } from "@/lib/takeover/queries";

// Each label follows the actor's name as a verb phrase ("Alex Owner took over"); the two "ended"
// labels used to be bare clauses, which read "Alex Owner control returned to the bot".
const ACTION_LABELS: Record<string, string> = {
  "takeover.started": "took over",
  "takeover.ended": "ended the takeover; control returned to the bot",
  "share.created": "created a link",
  "share.updated": "changed a link",
  "share.revoked": "revoked a link",
  "transfer.started": "transferred the conversation to another bot",
  "transfer.received": "transferred the conversation here",
  "transfer.ended": "ended the transfer; control returned to the first bot",
  "flow.problem": "could not run a flow action",
};

const REASON_LABELS: Record<string, string> = {
  HANDED_BACK: "handed back",
  EXPIRED: "the link expired",
  REVOKED: "the link was revoked",
  STALE: "the operator was inactive",
  given_back: "given back",
  stale: "the transfer was inactive",
};

/**
 * The conversation's audit trail: every share change, take-over, hand-back and transfer, and the
 * flow actions that could not run. Members only: it names people and describes the bot's flow.
 */
export function ControlHistory({ events }: { events: ControlHistoryEntry[] }) {
  return (
    <section aria-labelledby="history-heading" className="rounded-lg border border-gray-200 bg-white p-4">
      <h2 id="history-heading" className="mb-2 font-semibold">
        History
      </h2>
      {events.length === 0 ? (
        <p className="text-sm text-gray-500">Nothing yet: shares and take-overs of this conversation will be listed here.</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid="control-history">
          {events.map((event) => (
            <li key={event.id}>
              <RelativeTime iso={event.createdAt.toISOString()} /> · <strong>{event.actorName}</strong>{" "}
              {ACTION_LABELS[event.action] ?? event.action}
              {event.reason ? ` (${REASON_LABELS[event.reason] ?? event.reason})` : ""}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
