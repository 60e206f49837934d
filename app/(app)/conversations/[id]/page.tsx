import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FileList } from "@/components/conversations/file-list";
import { LiveConversation } from "@/components/conversations/live-conversation";
import { ShareDialog } from "@/components/shares/share-dialog";
import { ControlHistory } from "@/components/conversations/control-history";
import { ReadMarker } from "@/components/inbox/read-marker";
import { TransferNotice } from "@/components/conversations/transfer-notice";
import { WebhookDeliveries } from "@/components/conversations/webhook-deliveries";
import { RelativeTime } from "@/components/ui/relative-time";
import { getActor } from "@/lib/auth/current-actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { findConversation } from "@/lib/conversations/queries";
import { loadConversationView } from "@/lib/conversations/view";
import { findActiveShare } from "@/lib/shares/queries";
import { listControlHistory } from "@/lib/takeover/queries";
import { findOpenTransferPeers } from "@/lib/transfers/queries";
import { listDeliveries } from "@/lib/webhooks/queries";
import { handBackAction, sendOperatorMessageAction, takeOverAction } from "./actions";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Conversation" };

const CONTROLLER_LABELS = { BOT: "Bot in control", OPERATOR: "Operator in control", TRANSFERRED: "Transferred" };

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const actor = await getActor();
  const conversation = await findConversation(actor, id);
  if (!conversation) notFound();
  const canShare = organizationIdsFor(actor, "share").includes(conversation.bot.organizationId);
  const canOperate = organizationIdsFor(actor, "operate").includes(conversation.bot.organizationId);
  const { page, files, fileCount, afterEventId, control, holding } = await loadConversationView(actor, conversation.id);
  const [activeShare, history, deliveries, transfer] = await Promise.all([
    canShare ? findActiveShare(actor, conversation.id) : null,
    listControlHistory(actor, conversation.id),
    conversation.channel === "web" ? [] : listDeliveries(actor, conversation.id),
    findOpenTransferPeers(actor, conversation.id),
  ]);
  const base = `/conversations/${conversation.id}`;
  return (
    <main className="flex flex-col gap-4">
      <ReadMarker conversationId={conversation.id} />
      <header className="flex flex-wrap items-start gap-3 rounded-lg border border-gray-200 bg-white p-4">
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-semibold">{conversation.title}</h1>
          <p className="text-sm text-gray-600">
            {conversation.contact.name} ({conversation.contact.externalId}) · {conversation.bot.name} ·{" "}
            {conversation.channel} · {CONTROLLER_LABELS[conversation.controller]} · {conversation.messageCount} messages ·
            updated <RelativeTime iso={conversation.updatedAt.toISOString()} />
          </p>
        </div>
        {canShare && (
          <ShareDialog
            conversationId={conversation.id}
            activeShare={activeShare}
            messages={page.messages.map(({ id, role, text }) => ({ id, role, text }))}
          />
        )}
      </header>
      <TransferNotice {...transfer} />
      <FileList files={files} total={fileCount} fileBaseUrl={`${base}/files`} zipUrl={`${base}/download`} />
      <section aria-label="Conversation" className="rounded-lg border border-gray-200 bg-white p-4">
        <LiveConversation
          initialPage={page}
          pagesUrl={`${base}/messages`}
          fileBaseUrl={`${base}/files`}
          eventsUrl={`${base}/events?after=${afterEventId}`}
          initialControl={control}
          operator={
            canOperate
              ? {
                  takeOver: takeOverAction,
                  handBack: handBackAction,
                  send: sendOperatorMessageAction,
                  fields: { conversationId: conversation.id },
                  holding,
                  takeOverOnOpen: false,
                  askName: false,
                }
              : undefined
          }
        />
      </section>
      <WebhookDeliveries
        deliveries={deliveries}
        messageTexts={new Map(page.messages.map((message) => [message.id, message.text]))}
        canRetry={canOperate}
      />
      <ControlHistory events={history} />
    </main>
  );
}
