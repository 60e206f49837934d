import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { FileList } from "@/components/conversations/file-list";
import { MessageReader } from "@/components/conversations/message-reader";
import { ShareDialog } from "@/components/shares/share-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { getActor } from "@/lib/auth/actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { countAttachments, findConversation, listAttachments, listMessagesPage } from "@/lib/conversations/queries";
import { findActiveShare } from "@/lib/shares/queries";

type Props = { params: Promise<{ id: string }> };

export const metadata: Metadata = { title: "Conversation" };

const CONTROLLER_LABELS = { BOT: "Bot in control", OPERATOR: "Operator in control", TRANSFERRED: "Transferred" };

export default async function ConversationPage({ params }: Props) {
  const { id } = await params;
  const actor = await getActor();
  const conversation = await findConversation(actor, id);
  if (!conversation) notFound();
  const filter = { conversationId: conversation.id };
  const canShare = organizationIdsFor(actor, "share").includes(conversation.bot.organizationId);
  const [page, files, fileCount, activeShare] = await Promise.all([
    listMessagesPage(filter),
    listAttachments(filter, { limit: 200 }),
    countAttachments(filter),
    findActiveShare(actor, conversation.id),
  ]);
  const base = `/conversations/${conversation.id}`;
  return (
    <main className="flex flex-col gap-4">
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
      <FileList files={files} total={fileCount} fileBaseUrl={`${base}/files`} zipUrl={`${base}/download`} />
      <section aria-label="Conversation" className="rounded-lg border border-gray-200 bg-white p-4">
        <MessageReader initialPage={page} pagesUrl={`${base}/messages`} fileBaseUrl={`${base}/files`} />
      </section>
    </main>
  );
}
