import type { Metadata } from "next";
import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { getActor } from "@/lib/auth/current-actor";
import { listBots } from "@/lib/bots/queries";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage() {
  const bots = await listBots(await getActor());
  return (
    <main>
      <h1 id="bots-heading" className="mb-1 text-xl font-semibold">
        Bots
      </h1>
      <p className="mb-4 text-sm text-gray-600">
        Each bot answers contacts with its flow. Open its web chat to talk to it as a contact would.
      </p>
      {bots.length === 0 ? (
        <p className="rounded-lg border border-dashed border-gray-300 p-8 text-center text-gray-600">
          Your organization has no bots yet. Ask an administrator to add one.
        </p>
      ) : (
        <ul className="divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" aria-labelledby="bots-heading">
          {bots.map((bot) => (
            <li key={bot.id} className="flex flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3" data-testid="bot">
              <div className="min-w-0 flex-1">
                <Link href={`/bots/${bot.id}`} className="font-medium hover:underline">
                  {bot.name}
                </Link>
                <p className="text-sm text-gray-600">
                  {bot.organizationName} · {bot.ruleCount === 0 ? "no rules (silent)" : `${bot.ruleCount} rule${bot.ruleCount === 1 ? "" : "s"}`} ·{" "}
                  {bot.conversationCount} conversation{bot.conversationCount === 1 ? "" : "s"}
                </p>
              </div>
              <a href={`/chat/${bot.id}`} target="_blank" rel="noopener" className={buttonClass("secondary")}>
                Open web chat
              </a>
              <Link href={`/bots/${bot.id}`} className={buttonClass(bot.canEdit ? "primary" : "secondary")}>
                {bot.canEdit ? "Edit flow" : "View flow"}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
