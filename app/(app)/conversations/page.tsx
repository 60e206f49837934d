import type { Metadata } from "next";
import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { buttonClass } from "@/components/ui/button";
import { getActor } from "@/lib/auth/current-actor";
import { listConversations } from "@/lib/conversations/queries";

export const metadata: Metadata = { title: "Conversations" };

type Props = { searchParams: Promise<{ q?: string }> };

export default async function ConversationsPage({ searchParams }: Props) {
  const query = (await searchParams).q?.slice(0, 200) ?? "";
  const conversations = await listConversations(await getActor(), { query });
  return (
    <main>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 id="conversations-heading" className="text-xl font-semibold">
          Conversations
        </h1>
        <form className="ml-auto flex gap-2" role="search">
          <input
            name="q"
            defaultValue={query}
            placeholder="Search by title or contact"
            aria-label="Search conversations"
            className="w-64 rounded-md border border-gray-300 px-3 py-1.5 text-sm"
          />
          <button className={buttonClass("secondary")}>Search</button>
        </form>
      </div>
      {conversations.length === 0 ? (
        <p className="rounded-lg border border-dashed border-gray-300 p-8 text-center text-gray-600">
          {query
            ? `No conversation matches “${query}”. Try another title or contact name.`
            : "No conversations yet. They appear here as soon as a contact writes to one of your bots."}
        </p>
      ) : (
        <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-labelledby="conversations-heading">
          {conversations.map((conversation) => (
            <li key={conversation.id}>
              <Link
                href={`/conversations/${conversation.id}`}
                className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-3 hover:bg-gray-50"
              >
                <span className="font-medium">{conversation.title}</span>
                {conversation.hasActiveShare && (
                  <span className="rounded bg-blue-100 px-1.5 text-xs text-blue-800">shared</span>
                )}
                <span className="text-sm text-gray-600">
                  {conversation.contactName} · {conversation.botName} · {conversation.channel} ·{" "}
                  {conversation.messageCount} messages
                </span>
                <span className="ml-auto text-sm text-gray-500">
                  <RelativeTime iso={conversation.lastMessageAt} />
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
