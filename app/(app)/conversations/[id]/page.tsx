import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ExportButtons } from "@/components/export/export-buttons";
import { LiveConversation } from "@/components/conversations/live-conversation";
import { LiveFacts } from "@/components/conversations/live-facts";
import { LiveFileList } from "@/components/conversations/live-file-list";
import { toLinkRows } from "@/components/shares/link-rows";
import { ShareDialog } from "@/components/shares/share-dialog";
import { ControlHistory } from "@/components/conversations/control-history";
import { ConversationForks } from "@/components/conversations/conversation-forks";
import { ReadMarker } from "@/components/inbox/read-marker";
import { TransferNotice } from "@/components/conversations/transfer-notice";
import { WebhookDeliveries } from "@/components/conversations/webhook-deliveries";
import { getActor } from "@/lib/auth/current-actor";
import { listConversationForks } from "@/lib/continuations/queries";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { findConversation } from "@/lib/conversations/queries";
import { loadConversationView } from "@/lib/conversations/view";
import { listShares } from "@/lib/shares/list";
import { findActiveShare } from "@/lib/shares/queries";
import { MAX_SHARE_LIST_PAGE_SIZE } from "@/lib/shares/schemas";
import { listControlHistory } from "@/lib/takeover/queries";
import { findOpenTransferPeers } from "@/lib/transfers/queries";
import { listDeliveries } from "@/lib/webhooks/queries";
import { mayOverrideControl } from "@/lib/takeover/policy";
import { findOperatorName } from "@/lib/users/queries";
import {
  endSessionAction,
  forceTakeOverAction,
  handBackAction,
  requestControlAction,
  sendOperatorMessageAction,
  takeOverAction,
} from "./actions";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const actor = await getActor();
  const conversation = await findConversation(actor, id);
  if (!conversation) notFound();
  const canShare = organizationIdsFor(actor, "share").includes(conversation.bot.organizationId);
  const canOperate = organizationIdsFor(actor, "operate").includes(conversation.bot.organizationId);
  const { page, files, fileCount, afterEventId, control, heldSessionId, seenMessageId } = await loadConversationView(actor, conversation.id);
  const [activeShare, links, history, deliveries, transfer, operatorName, forks] = await Promise.all([
    canShare ? findActiveShare(actor, conversation.id) : null,
    canShare ? listShares(actor, { filter: { conversationId: conversation.id }, limit: MAX_SHARE_LIST_PAGE_SIZE }) : null,
    listControlHistory(actor, conversation.id),
    conversation.channel === "web" ? [] : listDeliveries(actor, conversation.id),
    findOpenTransferPeers(actor, conversation.id),
    findOperatorName(actor),
    listConversationForks(actor, conversation.id),
  ]);
  const base = `/conversations/${conversation.id}`;
  const eventsUrl = `${base}/events?after=${afterEventId}`;
  const knownMessageIds = page.messages.map((message) => message.id);
  return (
    <main className="flex flex-col gap-4">
      <ReadMarker conversationId={conversation.id} />
      <header className="flex flex-wrap items-start gap-3 rounded-lg border border-gray-200 bg-white p-4">
        <div className="min-w-0 flex-1">
          <h1 className="text-xl font-semibold">{conversation.title}</h1>
          <p className="text-sm text-gray-600">
            {conversation.contact.name} ({conversation.contact.externalId}) · {conversation.bot.name} ·{" "}
            {conversation.channel} ·{" "}
            <LiveFacts
              eventsUrl={eventsUrl}
              knownMessageIds={knownMessageIds}
              controller={control.controller}
              messageCount={conversation.messageCount}
              lastMessageAt={conversation.lastMessageAt.toISOString()}
            />
          </p>
        </div>
        <ExportButtons conversationId={conversation.id} />
        {canShare && (
          <ShareDialog
            conversationId={conversation.id}
            activeShare={activeShare}
            links={toLinkRows(links?.shares ?? [])}
            messages={page.messages.map(({ id, role, text }) => ({ id, role, text }))}
            earlierCursor={page.earlierCursor}
            pagesUrl={`${base}/messages`}
            currentUserId={actor.kind === "user" ? actor.userId : ""}
          />
        )}
      </header>
      <TransferNotice {...transfer} />
      <ConversationForks forks={forks} />
      <LiveFileList
        eventsUrl={eventsUrl}
        knownMessageIds={knownMessageIds}
        files={files}
        total={fileCount}
        fileBaseUrl={`${base}/files`}
        zipUrl={`${base}/download`}
      />
      <section aria-label="Conversation" className="rounded-lg border border-gray-200 bg-white p-4">
        <LiveConversation
          initialPage={page}
          pagesUrl={`${base}/messages`}
          fileBaseUrl={`${base}/files`}
          eventsUrl={eventsUrl}
          initialControl={control}
          initialSeenMessageId={seenMessageId}
          operator={
            canOperate
              ? {
                  takeOver: takeOverAction,
                  handBack: handBackAction,
                  send: sendOperatorMessageAction,
                  requestControl: requestControlAction,
                  // Owners and admins take control back from any operator.
                  ...(mayOverrideControl(actor, conversation.bot.organizationId) ? { forceTakeOver: forceTakeOverAction, endSession: endSessionAction } : {}),
                  fields: { conversationId: conversation.id },
                  heldSessionId,
                  typingUrl: `${base}/typing`,
                  takeOverOnOpen: false,
                  nameRequest: operatorName ? null : "member",
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
