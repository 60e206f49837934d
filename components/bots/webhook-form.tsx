"use client";

import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";

type Props<T extends { enabled: boolean }> = {
  /** Saves the URL and secret (with `fields`): the bot's webhook, the organization's notification webhook. */
  saveAction: (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;
  /** Hidden fields naming what the webhook belongs to. */
  fields: Record<string, string>;
  webhookUrl: string | null;
  hasSecret: boolean;
};

/** A webhook's URL, and the secret that signs its deliveries. */
export function WebhookForm<T extends { enabled: boolean }>({ saveAction, fields, webhookUrl, hasSecret }: Props<T>) {
  const [state, save, saving] = useActionState(saveAction, null);
  // Controlled fields: React resets an action form's uncontrolled fields after every submit, so a
  // rejected URL (say ftp://…) came back as an empty field next to its error and had to be retyped.
  const [url, setUrl] = useState(webhookUrl ?? "");
  const [secret, setSecret] = useState("");
  const [lastState, setLastState] = useState(state);
  if (state !== lastState) {
    setLastState(state);
    // A saved secret is never shown again; an empty field means "keep it".
    if (state?.ok) setSecret("");
  }
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={save} className="flex flex-col gap-2 text-sm">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <label className="flex flex-col gap-1">
        <span className="font-medium">Webhook URL</span>
        <input
          name="webhookUrl"
          type="url"
          value={url}
          onChange={(event) => setUrl(event.target.value)}
          placeholder="https://example.com/switchboard-webhook"
          className="rounded-md border border-gray-300 px-2 py-1.5"
          aria-invalid={errors.webhookUrl ? true : undefined}
          aria-describedby={errors.webhookUrl ? "webhook-url-help webhook-url-error" : "webhook-url-help"}
        />
        <span id="webhook-url-help" className="text-gray-600">
          Leave empty to stop deliveries.
        </span>
        {errors.webhookUrl && (
          <span id="webhook-url-error" className="text-red-700">
            {errors.webhookUrl[0]}
          </span>
        )}
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Signing secret</span>
        <input
          name="webhookSecret"
          type="password"
          autoComplete="off"
          minLength={16}
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          placeholder={hasSecret ? "Leave empty to keep the current secret" : "At least 16 characters"}
          className="rounded-md border border-gray-300 px-2 py-1.5"
          aria-invalid={errors.webhookSecret ? true : undefined}
          aria-describedby={errors.webhookSecret ? "webhook-secret-error" : undefined}
        />
        {errors.webhookSecret && (
          <span id="webhook-secret-error" className="text-red-700">
            {errors.webhookSecret[0]}
          </span>
        )}
      </label>
      <div className="flex items-center gap-2">
        <Button type="submit" disabled={saving}>
          {saving ? "Saving…" : "Save webhook"}
        </Button>
        <span role="status" className={state?.ok ? "text-green-700" : "text-red-700"}>
          {state?.ok ? (state.data.enabled ? "Saved." : "Webhook removed.") : state && !state.fieldErrors ? state.error : ""}
        </span>
      </div>
    </form>
  );
}
