import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { createBotTokenAction, revokeBotTokenAction, saveBotWebhookAction } from "@/app/(app)/bots/[id]/actions";
import { FlowEditor } from "@/components/bots/flow-editor";
import { TransferTargets } from "@/components/bots/transfer-targets";
import { WebhookForm } from "@/components/bots/webhook-form";
import { TokenManager } from "@/components/tokens/token-manager";
import { toTokenRows } from "@/components/tokens/token-rows";
import { getActor } from "@/lib/auth/current-actor";
import { findBot, listTransferTargets } from "@/lib/bots/queries";
import { idSchema } from "@/lib/http";
import { listBotTokens } from "@/lib/tokens/queries";
import { getBotWebhook } from "@/lib/webhooks/queries";

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
      {bot.canEdit && (
        <TransferTargets bots={await listTransferTargets(await getActor(), bot)} organizationName={bot.organizationName} />
      )}
      {bot.canEdit && <BotApiSettings botId={bot.id} />}
    </main>
  );
}

/** Bot tokens and the webhook: owners and admins only (the same rule the actions enforce). */
async function BotApiSettings({ botId }: { botId: string }) {
  const actor = await getActor();
  if (actor.kind !== "user") return null;
  const [tokens, webhook] = await Promise.all([listBotTokens(actor, { botId }), getBotWebhook(actor, botId)]);
  return (
    <>
      <section className="mt-8 flex flex-col gap-3" aria-labelledby="bot-tokens">
        <h2 id="bot-tokens" className="text-lg font-semibold">
          Bot tokens
        </h2>
        <p className="text-sm text-gray-700">
          A bot token lets a channel bridge post this bot’s contacts’ messages (
          {/* break-all: the path holds the bot id and is wider than a phone screen. */}
          <code className="font-mono break-all">POST /api/v1/bots/{botId}/messages</code>) and share its conversations (
          <Link href="/api-reference" className="text-brand underline">
            API reference
          </Link>
          ).
        </p>
        <TokenManager
          tokens={toTokenRows(tokens)}
          createAction={createBotTokenAction}
          revokeAction={revokeBotTokenAction}
          botId={botId}
          emptyHint="Create one to connect WhatsApp, Telegram or your own app."
        />
      </section>
      <section className="mt-8 flex max-w-xl flex-col gap-3" aria-labelledby="bot-webhook">
        <h2 id="bot-webhook" className="text-lg font-semibold">
          Webhook
        </h2>
        <p className="text-sm text-gray-700">
          Operator messages in conversations on other channels than the web chat are POSTed here, signed with{" "}
          <code className="font-mono">X-Switchboard-Signature: sha256=&lt;HMAC of the body&gt;</code>, and retried for a while when
          delivery fails.
        </p>
        <WebhookForm saveAction={saveBotWebhookAction} fields={{ botId }} webhookUrl={webhook?.webhookUrl ?? null} hasSecret={webhook?.hasSecret ?? false} />
      </section>
    </>
  );
}
