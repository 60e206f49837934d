import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";

export type ConversationFork = { id: string; title: string; createdAt: Date; messageCount: number };

/** The conversations viewers continued from this one through its links ("Continue this conversation"). */
export function ConversationForks({ forks }: { forks: ConversationFork[] }) {
  if (forks.length === 0) return null;
  return (
    <section aria-label="Continued by viewers" className="rounded-lg border border-gray-200 bg-white p-4 text-sm" data-testid="conversation-forks">
      <h2 className="font-semibold">
        Continued {forks.length} {forks.length === 1 ? "time" : "times"}
      </h2>
      <ul className="mt-2 flex flex-col gap-1">
        {forks.map((fork) => (
          <li key={fork.id}>
            <Link href={`/conversations/${fork.id}`} className="text-brand hover:underline">
              {fork.title}
            </Link>{" "}
            <span className="text-gray-600">
              · {fork.messageCount} messages · started <RelativeTime iso={fork.createdAt.toISOString()} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
