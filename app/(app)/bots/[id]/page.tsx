import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlowEditor } from "@/components/bots/flow-editor";
import { getActor } from "@/lib/auth/actor";
import { findBot } from "@/lib/bots/queries";
import { idSchema } from "@/lib/http";

type Props = { params: Promise<{ id: string }> };

async function loadBot(id: string) {
  const parsed = idSchema.safeParse(id);
  return parsed.success ? findBot(await getActor(), parsed.data) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const bot = await loadBot((await params).id);
  return { title: bot ? `${bot.name} flow` : "Bot not found" };
}

export default async function BotPage({ params }: Props) {
  const bot = await loadBot((await params).id);
  if (!bot) notFound();
  return (
    <main>
      <p className="mb-2 text-sm">
        <Link href="/bots" className="text-brand hover:underline">
          ← Bots
        </Link>
      </p>
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{bot.name}</h1>
        <span className="text-sm text-gray-600">{bot.organizationName}</span>
        <a href={`/chat/${bot.id}`} target="_blank" rel="noopener" className="ml-auto text-sm text-brand hover:underline">
          Open web chat ↗
        </a>
      </div>
      <FlowEditor botId={bot.id} initialJson={bot.flowJson} isEmpty={bot.ruleCount === 0} canEdit={bot.canEdit} />
    </main>
  );
}
