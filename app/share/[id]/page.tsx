import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveConversation } from "@/components/conversations/live-conversation";
import { LiveFileList } from "@/components/conversations/live-file-list";
import { ContinueButton } from "@/components/shares/continue-button";
import { LiveShareFacts } from "@/components/shares/live-share-facts";
import { ViewBeacon } from "@/components/shares/view-beacon";
import { RelativeTime } from "@/components/ui/relative-time";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { loadConversationView } from "@/lib/conversations/view";
import { findSharePublicName } from "@/lib/organizations/queries";
import { PREVIEW_SIZE } from "@/lib/shares/preview-image";
import type { PublicShareView } from "@/lib/shares/public";
import { shareUrl } from "@/lib/shares/url";
import { shareAllowsTakeover } from "@/lib/takeover/policy";
import { findOperatorName } from "@/lib/users/queries";
import {
  handBackThroughShareAction,
  requestControlThroughShareAction,
  sendOperatorMessageThroughShareAction,
  takeOverThroughShareAction,
} from "./actions";
import { loadShare, lookUpShare } from "./load-share";
import { TooManyRequests } from "./too-many-requests";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const share = await loadShare(id);
  const robots = { index: false, follow: false, nocache: true };
  if (!share) return { title: "Link not available", robots };
  const { title, description } = share.view;
  return {
    title,
    description: description ?? undefined,
    robots,
    referrer: "no-referrer",
    openGraph: { title, description: description ?? undefined, type: "article" },
    ...(share.actor.visibility === "PUBLIC" && linkPreview(share.view)),
  };
}

/** The link preview (Slack, Discord, …) of a link anyone may open: absolute URLs from APP_URL. */
function linkPreview({ publicId, title, description }: PublicShareView): Metadata {
  const url = shareUrl(publicId);
  const image = { url: `${url}/preview-image`, ...PREVIEW_SIZE, alt: title };
  return {
    openGraph: { title, description: description ?? undefined, type: "article", url, siteName: "Switchboard", images: [image] },
    twitter: { card: "summary_large_image", title, description: description ?? undefined, images: [image] },
  };
}

// GET /share/<id> — the public, read-only page of a shared conversation
export default async function SharePage({ params }: Props) {
  const { id } = await params;
  const { share, retryAfterSeconds } = await lookUpShare(id);
  // A page cannot set its status: this one answers 200, while the share's routes answer 429.
  if (retryAfterSeconds) return <TooManyRequests seconds={retryAfterSeconds} />;
  if (!share) notFound();
  const { view, actor } = share;
  const [{ page, files, fileCount, afterEventId, control, heldSessionId, seenMessageId }, publicName, operatorName] = await Promise.all([
    loadConversationView(actor, actor.conversationId),
    findSharePublicName(actor),
    actor.viewer.kind === "user" ? findOperatorName(actor) : null,
  ]);
  const base = `/share/${view.publicId}`;
  const eventsUrl = view.shareType === "FULL" ? `${base}/events?after=${afterEventId}` : null;
  const knownMessageIds = page.messages.map((message) => message.id);
  return (
    <main className="mx-auto flex max-w-3xl flex-col gap-4 px-3 py-6 sm:px-6">
      <ViewBeacon url={`${base}/view`} />
      <header className="rounded-lg border border-gray-200 bg-white p-4">
        <h1 className="text-xl font-semibold">{view.title}</h1>
        {view.description && <p className="mt-1 text-gray-700">{view.description}</p>}
        <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm text-gray-600">
          <div>
            <dt className="inline">Type: </dt>
            <dd className="inline" data-testid="channel">{view.channel}</dd>
          </div>
          <div>
            <dt className="inline">Created: </dt>
            <dd className="inline"><RelativeTime iso={view.createdAt} /></dd>
          </div>
          <LiveShareFacts eventsUrl={eventsUrl} knownMessageIds={knownMessageIds} messageCount={view.messageCount} updatedAt={view.updatedAt} />
        </dl>
        {view.continueUrl && (
          <div className="mt-3">
            <ContinueButton action={view.continueUrl} publicId={view.publicId} />
          </div>
        )}
      </header>
      <LiveFileList
        eventsUrl={eventsUrl}
        knownMessageIds={knownMessageIds}
        files={files}
        total={fileCount}
        fileBaseUrl={`${base}/files`}
        zipUrl={`${base}/download`}
        withTranscript
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
            shareAllowsTakeover(view)
              ? {
                  takeOver: takeOverThroughShareAction,
                  handBack: handBackThroughShareAction,
                  send: sendOperatorMessageThroughShareAction,
                  requestControl: requestControlThroughShareAction,
                  fields: { publicId: view.publicId },
                  heldSessionId,
                  typingUrl: `${base}/typing`,
                  // An owner previewing their own link ("Open in new tab") never takes the chat over.
                  takeOverOnOpen: view.takeOverOnOpen && !(actor.viewer.kind === "user" && organizationIdsFor(actor.viewer, "share").includes(actor.organizationId)),
                  nameRequest: actor.viewer.kind !== "user" ? "anonymous" : operatorName ? null : "member",
                }
              : undefined
          }
        />
      </section>
      <footer className="pb-4 text-center text-xs text-gray-600">{publicName ? `Shared by ${publicName} with Switchboard` : "Shared with Switchboard"}</footer>
    </main>
  );
}
