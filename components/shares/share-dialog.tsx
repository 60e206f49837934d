"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { revokeShareAction, saveShareAction } from "@/app/(app)/conversations/[id]/actions";
import { Button, buttonClass } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionResult } from "@/lib/action";
import type { OwnerShare } from "@/lib/shares/queries";

export type PickableMessage = { id: string; role: string; text: string };

type Props = {
  conversationId: string;
  activeShare: OwnerShare | null;
  /** Messages offered in the partial-share picker (the page the owner has loaded). */
  messages: PickableMessage[];
};

function FieldError({ result, field }: { result: ActionResult<unknown> | null; field: string }) {
  // Form parsing reports "customTitle"; the domain's own validation reports "settings.customTitle".
  const errors = result && !result.ok ? result.fieldErrors : undefined;
  const message = errors?.[field]?.[0] ?? errors?.[`settings.${field}`]?.[0];
  return message ? <p className="text-sm text-red-700">{message}</p> : null;
}

/** The Share button and its modal: create, change, copy, open and revoke the conversation's link. */
export function ShareDialog({ conversationId, activeShare, messages }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [saveState, saveAction, saving] = useActionState(saveShareAction, null);
  const [revokeState, revokeAction, revoking] = useActionState(revokeShareAction, null);
  const [confirmRevoke, setConfirmRevoke] = useState(false);
  const share = activeShare;
  const [shareType, setShareType] = useState(share?.shareType ?? "FULL");
  const [mode, setMode] = useState(share?.mode ?? "VIEW");
  const formResult = saveState;
  const lastResult = [saveState, revokeState].find((state) => state && !state.ok) ?? null;

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
      <dialog
        ref={dialog}
        aria-labelledby="share-dialog-title"
        className="m-auto w-[min(40rem,95vw)] rounded-lg p-0 shadow-xl"
      >
        <div className="flex max-h-[90vh] flex-col gap-4 overflow-y-auto p-5">
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
              <label className="text-sm font-medium" htmlFor="share-url">
                Anyone with this link can view the conversation
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
                <form action={revokeAction}>
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
            <p className="text-sm text-gray-600">
              This conversation is not shared. Choose how, then create a link.
            </p>
          )}

          <form action={saveAction} className="flex flex-col gap-3" key={share?.id ?? "new"}>
            <input type="hidden" name="conversationId" value={conversationId} />
            {share && <input type="hidden" name="shareId" value={share.id} />}

            <fieldset className="flex flex-wrap gap-4">
              <legend className="mb-1 text-sm font-medium">Mode</legend>
              {[
                ["VIEW", "View only"],
                ["TAKEOVER", "Takeover"],
                ["AUTO", "Auto (hand back at expiry)"],
              ].map(([value, label]) => (
                <label key={value} className="flex items-center gap-1 text-sm">
                  <input
                    type="radio"
                    name="mode"
                    value={value}
                    defaultChecked={(share?.mode ?? "VIEW") === value}
                    onChange={() => setMode(value as typeof mode)}
                  />
                  {label}
                </label>
              ))}
            </fieldset>

            <div className="grid gap-3 sm:grid-cols-2">
              <label className="flex flex-col gap-1 text-sm font-medium">
                Valid for (hours)
                <input
                  name="validityHours"
                  type="number"
                  min={1}
                  step={1}
                  placeholder="Never expires"
                  defaultValue={share?.validityHours ?? ""}
                  className="rounded border border-gray-300 px-2 py-1 font-normal"
                />
                <FieldError result={formResult} field="validityHours" />
              </label>
              <label className="flex flex-col gap-1 text-sm font-medium">
                Visibility
                <select
                  name="visibility"
                  defaultValue={share?.visibility ?? "PUBLIC"}
                  className="rounded border border-gray-300 px-2 py-1 font-normal"
                >
                  <option value="PUBLIC">Anyone with the link</option>
                  <option value="ORGANIZATION">Members of my organization</option>
                  <option value="PRIVATE">Only me</option>
                </select>
              </label>
            </div>

            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-1">
                <input
                  type="checkbox"
                  name="takeOverOnOpen"
                  defaultChecked={share?.takeOverOnOpen ?? false}
                  disabled={mode === "VIEW"}
                />
                Take over on open
              </label>
              <label className="flex items-center gap-1">
                <input type="checkbox" name="allowContinuation" defaultChecked={share?.allowContinuation ?? false} />
                Viewers may continue the conversation
              </label>
              {!share && (
                <label className="flex items-center gap-1">
                  <input type="checkbox" name="regenerate" />
                  Always create a new link
                </label>
              )}
            </div>
            <FieldError result={formResult} field="takeOverOnOpen" />

            <fieldset className="flex flex-col gap-1">
              <legend className="mb-1 text-sm font-medium">Messages</legend>
              <div className="flex gap-4 text-sm">
                <label className="flex items-center gap-1">
                  <input
                    type="radio"
                    name="shareType"
                    value="FULL"
                    defaultChecked={shareType === "FULL"}
                    onChange={() => setShareType("FULL")}
                  />
                  All, including new ones (live)
                </label>
                <label className="flex items-center gap-1">
                  <input
                    type="radio"
                    name="shareType"
                    value="PARTIAL"
                    defaultChecked={shareType === "PARTIAL"}
                    onChange={() => setShareType("PARTIAL")}
                  />
                  Only the ones I pick
                </label>
              </div>
              {shareType === "PARTIAL" && (
                <ul className="max-h-48 overflow-y-auto rounded border border-gray-200 p-2 text-sm" aria-label="Pick messages">
                  {messages.map((message) => (
                    <li key={message.id}>
                      <label className="flex items-start gap-2">
                        <input
                          type="checkbox"
                          name="messageIds"
                          value={message.id}
                          defaultChecked={share?.messageIds.includes(message.id) ?? false}
                        />
                        <span className="truncate">
                          <span className="text-gray-500">{message.role.toLowerCase()}:</span> {message.text.slice(0, 120)}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
              <FieldError result={formResult} field="messageIds" />
            </fieldset>

            <label className="flex flex-col gap-1 text-sm font-medium">
              Title on the shared page (optional, up to 200 characters)
              <input
                name="customTitle"
                defaultValue={share?.customTitle ?? ""}
                className="rounded border border-gray-300 px-2 py-1 font-normal"
              />
              <FieldError result={formResult} field="customTitle" />
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium">
              Description (optional, up to 500 characters)
              <textarea
                name="customDescription"
                rows={2}
                defaultValue={share?.customDescription ?? ""}
                className="rounded border border-gray-300 px-2 py-1 font-normal"
              />
              <FieldError result={formResult} field="customDescription" />
            </label>

            {lastResult && !lastResult.ok && (
              <p role="alert" className="text-sm text-red-700">
                {lastResult.error}
              </p>
            )}
            {share && saveState?.ok && <p className="text-sm text-green-700">Saved.</p>}
            <div className="flex flex-wrap justify-end gap-2">
              {share ? (
                <>
                  <button type="submit" name="intent" value="update" className={buttonClass("secondary")} disabled={saving}>
                    Save changes
                  </button>
                  <button type="submit" name="intent" value="create" className={buttonClass("primary")} disabled={saving}>
                    Create new link
                  </button>
                  <input type="hidden" name="regenerate" value="on" />
                </>
              ) : (
                <button type="submit" name="intent" value="create" className={buttonClass("primary")} disabled={saving}>
                  {saving ? "Creating…" : "Create link"}
                </button>
              )}
            </div>
          </form>
        </div>
      </dialog>
    </>
  );
}
