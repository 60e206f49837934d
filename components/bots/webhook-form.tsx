"use client";

import { useActionState } from "react";
import { saveBotWebhookAction } from "@/app/(app)/bots/[id]/actions";
import { Button } from "@/components/ui/button";

type Props = { botId: string; webhookUrl: string | null; hasSecret: boolean };

/** Where operator messages of non-web conversations are POSTed, and the secret that signs them. */
export function WebhookForm({ botId, webhookUrl, hasSecret }: Props) {
  const [state, save, saving] = useActionState(saveBotWebhookAction, null);
  const errors = state && !state.ok ? (state.fieldErrors ?? {}) : {};
  return (
    <form action={save} className="flex flex-col gap-2 text-sm">
      <input type="hidden" name="botId" value={botId} />
      <label className="flex flex-col gap-1">
        <span className="font-medium">Webhook URL</span>
        <input
          name="webhookUrl"
          type="url"
          defaultValue={webhookUrl ?? ""}
          placeholder="https://example.com/switchboard-webhook"
          className="rounded-md border border-gray-300 px-2 py-1.5"
          aria-describedby="webhook-url-help"
        />
        <span id="webhook-url-help" className="text-gray-600">
          Leave empty to stop deliveries.
        </span>
        {errors.webhookUrl && <span className="text-red-700">{errors.webhookUrl[0]}</span>}
      </label>
      <label className="flex flex-col gap-1">
        <span className="font-medium">Signing secret</span>
        <input
          name="webhookSecret"
          type="password"
          autoComplete="off"
          minLength={16}
          placeholder={hasSecret ? "Leave empty to keep the current secret" : "At least 16 characters"}
          className="rounded-md border border-gray-300 px-2 py-1.5"
        />
        {errors.webhookSecret && <span className="text-red-700">{errors.webhookSecret[0]}</span>}
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
