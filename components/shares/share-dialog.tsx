"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { revokeShareAction } from "@/app/(app)/conversations/[id]/actions";
import type { LinkRow } from "@/components/shares/link-rows";
import { LinksTable } from "@/components/shares/links-table";
import type { PickableMessage } from "@/components/shares/message-picker";
import { describeShareAudience } from "@/lib/shares/audience";
import { ShareForm } from "@/components/shares/share-form";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { OwnerShare } from "@/lib/shares/queries";

export type { PickableMessage };

type Props = {
  conversationId: string;
  activeShare: OwnerShare | null;
  /** Every link of the conversation, newest first: replaced ones stay visible and revocable. */
  links: LinkRow[];
  /** The newest page of messages for the partial-share picker, and where earlier pages come from. */
  messages: PickableMessage[];
  earlierCursor: string | null;
  pagesUrl: string;
  /** The signed-in member, so a private link can say "only you". */
  currentUserId: string;
};

/** The Share button and its modal: create, change, copy, open and revoke the conversation's links. */
export function ShareDialog({ conversationId, activeShare, links, messages, earlierCursor, pagesUrl, currentUserId }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [revokeState, revokeAction, revoking] = useActionState(revokeShareAction, null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  // A refused revoke's message stays until the member does something else.
  const [showRevokeError, setShowRevokeError] = useState(true);
  const share = activeShare;

  useEffect(() => setConfirmRevoke(false), [share?.id]);

  return (
    <>
      <Button
        variant={share ? "secondary" : "primary"}
        onClick={() => dialog.current?.showModal()}
        className="max-w-full"
        data-testid="share-button"
      >
        {share ? <span className="truncate font-mono text-xs">Shared: {share.url}</span> : "Share"}
      </Button>
      <dialog ref={dialog} aria-labelledby="share-dialog-title" className="m-auto w-[min(56rem,95vw)] rounded-lg p-0 shadow-xl">
        <div className="flex max-h-[90vh] min-w-0 flex-col gap-4 overflow-y-auto p-5">
          <div className="flex items-center justify-between">
            <h2 id="share-dialog-title" className="text-lg font-semibold">
              Share conversation
            </h2>
            <Button variant="secondary" onClick={() => dialog.current?.close()} aria-label="Close">
              ✕
            </Button>
          </div>

          {share ? (
            <section className="rounded-md border border-blue-200 bg-blue-50 p-3" aria-label="Active link">
              <label className="text-sm font-medium" htmlFor="share-url" data-testid="share-audience">
                {describeShareAudience(share, currentUserId)}
              </label>
              <input
                id="share-url"
                readOnly
                value={share.url}
                className="mt-1 w-full rounded border border-gray-300 bg-white px-2 py-1 font-mono text-xs"
                onFocus={(event) => event.currentTarget.select()}
                data-testid="share-url"
              />
              <div className="mt-2 flex flex-wrap gap-2">
                <CopyButton text={share.url} />
                <a href={share.url} target="_blank" rel="noopener noreferrer" className={buttonClass("secondary")}>
                  Open in new tab
                </a>
                <form action={revokeAction} onSubmit={() => setShowRevokeError(true)}>
                  <input type="hidden" name="shareId" value={share.id} />
                  {confirmRevoke ? (
                    <button type="submit" className={buttonClass("danger")} disabled={revoking}>
                      {revoking ? "Revoking…" : "Confirm revoke"}
                    </button>
                  ) : (
                    <Button variant="danger" onClick={() => setConfirmRevoke(true)}>
                      Revoke
                    </Button>
                  )}
                </form>
              </div>
              {showRevokeError && revokeState && !revokeState.ok && (
                <p role="alert" className="mt-2 text-sm text-red-700">
                  {revokeState.error}
                </p>
              )}
              <p className="mt-2 text-sm text-gray-700" data-testid="share-stats">
                Viewed {share.viewCount} {share.viewCount === 1 ? "time" : "times"}
                {share.lastViewedAt && (
                  <>
                    {" "}· last <RelativeTime iso={new Date(share.lastViewedAt).toISOString()} />
                  </>
                )}
                {share.allowContinuation && ` · continued ${share.continuationCount} ${share.continuationCount === 1 ? "time" : "times"}`}
                {" "}·{" "}
                {share.expiresAt ? (
                  <>
                    expires <RelativeTime iso={new Date(share.expiresAt).toISOString()} />
                  </>
                ) : (
                  "never expires"
                )}
              </p>
            </section>
          ) : (
            <p className="text-sm text-gray-600">This conversation has no active link. Choose how to share it, then create a link.</p>
          )}

          <ShareForm
            conversationId={conversationId}
            share={share}
            messages={messages}
            earlierCursor={earlierCursor}
            pagesUrl={pagesUrl}
            onSubmit={() => setShowRevokeError(false)}
          />

          {links.length > 0 && (
            <section aria-labelledby="conversation-links-title" className="flex min-w-0 flex-col gap-2 border-t border-gray-200 pt-3">
              <h3 id="conversation-links-title" className="text-sm font-semibold">
                All links of this conversation
              </h3>
              <LinksTable rows={links} canRevoke variant="conversation" />
            </section>
          )}
        </div>
      </dialog>
    </>
  );
}
