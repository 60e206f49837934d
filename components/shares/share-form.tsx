"use client";

import { startTransition, useActionState, useState, type FormEvent } from "react";
import { saveShareAction } from "@/app/(app)/conversations/[id]/actions";
import { MessagePicker, type PickableMessage } from "@/components/shares/message-picker";
import { buttonClass } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";
import type { OwnerShare } from "@/lib/shares/queries";

type Props = {
  conversationId: string;
  share: OwnerShare | null;
  messages: PickableMessage[];
  earlierCursor: string | null;
  pagesUrl: string;
  /** Called as the form is sent (the modal clears an earlier revoke's error). */
  onSubmit?: () => void;
};

type Mode = OwnerShare["mode"];

/** What the form shows: the saved share's settings until the member changes them. */
type FormValues = {
  mode: Mode;
  validityHours: string;
  visibility: OwnerShare["visibility"];
  takeOverOnOpen: boolean;
  allowContinuation: boolean;
  shareType: OwnerShare["shareType"];
  messageIds: ReadonlySet<string>;
  customTitle: string;
  customDescription: string;
};

function valuesOf(share: OwnerShare | null): FormValues {
  return {
    mode: share?.mode ?? "VIEW",
    validityHours: share?.validityHours?.toString() ?? "",
    visibility: share?.visibility ?? "PUBLIC",
    takeOverOnOpen: share?.takeOverOnOpen ?? false,
    allowContinuation: share?.allowContinuation ?? false,
    shareType: share?.shareType ?? "FULL",
    messageIds: new Set(share?.messageIds ?? []),
    customTitle: share?.customTitle ?? "",
    customDescription: share?.customDescription ?? "",
  };
}

const FIELDS = new Set(["mode", "validityHours", "visibility", "takeOverOnOpen", "allowContinuation", "shareType", "messageIds", "customTitle", "customDescription"]);

/**
 * The first message per form field: the form's own parsing names fields as they are
 * ("validityHours"), the domain's rules under the settings ("settings.validityHours").
 */
function fieldErrorsOf(result: ActionResult<unknown> | null): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!result || result.ok) return errors;
  for (const [key, messages] of Object.entries(result.fieldErrors ?? {})) {
    const field = key.replace(/^settings\./, "");
    if (messages[0]) errors[field] ??= messages[0];
  }
  return errors;
}

/** What no field shows: the whole error when it names no field, else the messages of unknown fields. */
function formErrorOf(result: ActionResult<unknown> | null, fieldErrors: Record<string, string>): string | null {
  if (!result || result.ok) return null;
  if (Object.keys(fieldErrors).length === 0) return result.error;
  const elsewhere = Object.entries(fieldErrors).filter(([field]) => !FIELDS.has(field));
  return elsewhere.length > 0 ? elsewhere.map(([, message]) => message).join(" ") : null;
}

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? (
    <p id={id} className="text-sm font-normal text-red-700">
      {message}
    </p>
  ) : null;
}

const inputClass = "rounded border border-gray-300 px-2 py-1 font-normal";

/**
 * Create a link, create a new one, or save changes to the active one. The fields are controlled:
 * they show the saved share after Save changes or Create new link, and keep what the member set
 * when the server refuses it.
 */
export function ShareForm({ conversationId, share, messages, earlierCursor, pagesUrl, onSubmit }: Props) {
  const [result, saveAction, saving] = useActionState(saveShareAction, null);
  const [values, setValues] = useState(() => valuesOf(share));
  // A saved or newly created share arrives as a new prop: show its values from then on.
  const shareVersion = share ? `${share.id}:${new Date(share.updatedAt).getTime()}` : "none";
  const [shownVersion, setShownVersion] = useState(shareVersion);
  if (shownVersion !== shareVersion) {
    setShownVersion(shareVersion);
    setValues(valuesOf(share));
  }
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((current) => ({ ...current, [key]: value }));
  const errors = fieldErrorsOf(result);
  const formError = formErrorOf(result, errors);
  const described = (field: string) => (errors[field] ? { "aria-invalid": true, "aria-describedby": `share-error-${field}` } : {});

  // Submitted in a transition rather than as <form action>: React resets a form after its action,
  // which put every field back to its default (View / Public) after a refused save.
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(event.currentTarget, submitter);
    onSubmit?.();
    startTransition(() => saveAction(formData));
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Link settings">
      <input type="hidden" name="conversationId" value={conversationId} />
      {share && <input type="hidden" name="shareId" value={share.id} />}

      <fieldset className="flex flex-wrap gap-4" {...described("mode")}>
        <legend className="mb-1 text-sm font-medium">Mode</legend>
        {(
          [
            ["VIEW", "View only"],
            ["TAKEOVER", "Takeover"],
            ["AUTO", "Auto (hand back at expiry)"],
          ] as const
        ).map(([value, label]) => (
          <label key={value} className="flex items-center gap-1 text-sm">
            <input type="radio" name="mode" value={value} checked={values.mode === value} onChange={() => set("mode", value)} />
            {label}
          </label>
        ))}
        <FieldError id="share-error-mode" message={errors.mode} />
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
            value={values.validityHours}
            onChange={(event) => set("validityHours", event.target.value)}
            className={inputClass}
            {...described("validityHours")}
          />
          <FieldError id="share-error-validityHours" message={errors.validityHours} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          Visibility
          <select
            name="visibility"
            value={values.visibility}
            onChange={(event) => set("visibility", event.target.value as FormValues["visibility"])}
            className={inputClass}
            {...described("visibility")}
          >
            <option value="PUBLIC">Anyone with the link</option>
            <option value="ORGANIZATION">Members of my organization</option>
            <option value="PRIVATE">Only me</option>
          </select>
          <FieldError id="share-error-visibility" message={errors.visibility} />
        </label>
      </div>

      <div className="flex flex-col gap-1 text-sm">
        <div className="flex flex-wrap gap-4">
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              name="takeOverOnOpen"
              checked={values.takeOverOnOpen && values.mode !== "VIEW"}
              disabled={values.mode === "VIEW"}
              onChange={(event) => set("takeOverOnOpen", event.target.checked)}
              {...described("takeOverOnOpen")}
            />
            Take over on open
          </label>
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              name="allowContinuation"
              checked={values.allowContinuation}
              onChange={(event) => set("allowContinuation", event.target.checked)}
            />
            Viewers may continue the conversation
          </label>
          {!share && (
            <label className="flex items-center gap-1">
              <input type="checkbox" name="regenerate" />
              Always create a new link
            </label>
          )}
        </div>
        <FieldError id="share-error-takeOverOnOpen" message={errors.takeOverOnOpen} />
        <FieldError id="share-error-allowContinuation" message={errors.allowContinuation} />
      </div>

      <fieldset className="flex min-w-0 flex-col gap-1" {...described("shareType")}>
        <legend className="mb-1 text-sm font-medium">Messages</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-1">
            <input type="radio" name="shareType" value="FULL" checked={values.shareType === "FULL"} onChange={() => set("shareType", "FULL")} />
            All, including new ones (live)
          </label>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="shareType"
              value="PARTIAL"
              checked={values.shareType === "PARTIAL"}
              onChange={() => set("shareType", "PARTIAL")}
            />
            Only the ones I pick
          </label>
        </div>
        <FieldError id="share-error-shareType" message={errors.shareType} />
        {values.shareType === "PARTIAL" && (
          <MessagePicker
            initialMessages={messages}
            initialCursor={earlierCursor}
            pagesUrl={pagesUrl}
            selected={values.messageIds}
            onToggle={(id, on) => {
              const next = new Set(values.messageIds);
              if (on) next.add(id);
              else next.delete(id);
              set("messageIds", next);
            }}
          />
        )}
        <FieldError id="share-error-messageIds" message={errors.messageIds} />
      </fieldset>

      <label className="flex flex-col gap-1 text-sm font-medium">
        Title on the shared page (optional, up to 200 characters)
        <input
          name="customTitle"
          value={values.customTitle}
          onChange={(event) => set("customTitle", event.target.value)}
          className={inputClass}
          {...described("customTitle")}
        />
        <FieldError id="share-error-customTitle" message={errors.customTitle} />
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium">
        Description (optional, up to 500 characters)
        <textarea
          name="customDescription"
          rows={2}
          value={values.customDescription}
          onChange={(event) => set("customDescription", event.target.value)}
          className={inputClass}
          {...described("customDescription")}
        />
        <FieldError id="share-error-customDescription" message={errors.customDescription} />
      </label>

      {formError && (
        <p role="alert" className="text-sm text-red-700">
          {formError}
        </p>
      )}
      {Object.keys(errors).length > 0 && !formError && (
        <p role="alert" className="text-sm text-red-700">
          Nothing was saved: correct the fields marked above.
        </p>
      )}
      {share && result?.ok && <p className="text-sm text-green-700">Saved.</p>}
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
  );
}
