"use client";

import { useActionState, useState } from "react";
import { saveBotFlowAction } from "@/app/(app)/bots/[id]/actions";
import { Button } from "@/components/ui/button";

// Shown when a bot has no rules yet: a complete flow to start from.
const EXAMPLE_FLOW = JSON.stringify(
  {
    rules: [
      {
        name: "Greeting",
        match: { type: "keyword", keywords: ["hello", "hi"] },
        actions: [{ type: "send_text", text: "Hello {{contact_name}}! How can I help you today?" }],
      },
      {
        name: "Order number",
        match: { type: "regex", pattern: "order\\s*#?\\d{3,}", flags: "i" },
        actions: [{ type: "send_text", text: "Thanks! I'm looking up that order now." }],
      },
      {
        name: "Ask for a person",
        match: { type: "keyword", keywords: ["agent", "human", "person"] },
        actions: [
          { type: "send_text", text: "I'll ask a colleague to join." },
          { type: "request_human", note: "{{contact_name}} asked for a person" },
        ],
      },
      {
        name: "Everything else",
        match: { type: "fallback" },
        actions: [{ type: "send_text", text: "Thanks for your message. A colleague will get back to you." }],
      },
      {
        name: "Back from a colleague",
        match: { type: "on_hand_back" },
        actions: [{ type: "send_text", text: "I'm back — anything else?" }],
      },
    ],
  },
  null,
  2,
);

type Props = { botId: string; initialJson: string; isEmpty: boolean; canEdit: boolean };

/** The flow as JSON: edit, save, and see every problem with where it is. */
export function FlowEditor({ botId, initialJson, isEmpty, canEdit }: Props) {
  const [json, setJson] = useState(initialJson);
  const [state, saveAction, saving] = useActionState(saveBotFlowAction, null);
  const [savedJson, setSavedJson] = useState(initialJson);
  const [lastState, setLastState] = useState(state);
  // Remember what was saved, so "Saved" disappears as soon as the text changes again.
  if (state !== lastState) {
    setLastState(state);
    if (state?.ok) setSavedJson(json);
  }
  const problems = state && !state.ok ? Object.entries(state.fieldErrors ?? {}).filter(([field]) => field !== "flowJson") : [];
  const changed = json !== savedJson;

  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <form action={saveAction} className="flex flex-col gap-2">
        <input type="hidden" name="botId" value={botId} />
        <label htmlFor="flowJson" className="text-sm font-medium">
          Flow (JSON)
        </label>
        {isEmpty && json === initialJson && (
          <div className="rounded-md border border-dashed border-gray-300 bg-white p-3 text-sm text-gray-700">
            This bot has no rules yet, so it stays silent.{" "}
            {canEdit && (
              <button type="button" className="text-brand underline" onClick={() => setJson(EXAMPLE_FLOW)}>
                Start from an example
              </button>
            )}
          </div>
        )}
        <textarea
          id="flowJson"
          name="flowJson"
          value={json}
          onChange={(event) => setJson(event.target.value)}
          readOnly={!canEdit}
          spellCheck={false}
          rows={24}
          aria-invalid={state?.ok === false}
          aria-describedby="flow-status"
          className="w-full rounded-md border border-gray-300 bg-white p-3 font-mono text-sm"
        />
        <div id="flow-status" className="flex flex-wrap items-center gap-3" aria-live="polite">
          {canEdit ? (
            <Button type="submit" disabled={saving}>
              {saving ? "Saving…" : "Save flow"}
            </Button>
          ) : (
            <p className="text-sm text-gray-600">Only owners and admins can change this flow.</p>
          )}
          {state?.ok && !changed && (
            <span className="text-sm text-emerald-700" role="status">
              ✓ Saved ({state.data.ruleCount} rule{state.data.ruleCount === 1 ? "" : "s"})
            </span>
          )}
          {changed && !saving && <span className="text-sm text-gray-500">Unsaved changes</span>}
        </div>
        {state && !state.ok && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
            <p className="font-medium">{state.error}</p>
            {problems.length > 0 && (
              <ul className="mt-1 list-disc pl-5" data-testid="flow-problems">
                {problems.map(([field, messages]) =>
                  messages.map((message) => (
                    <li key={`${field}-${message}`}>
                      <code>{field}</code>: {message}
                    </li>
                  )),
                )}
              </ul>
            )}
          </div>
        )}
      </form>
      <aside className="text-sm text-gray-700">
        <h2 className="mb-1 font-semibold">How flows work</h2>
        <ul className="list-disc space-y-1 pl-5">
          <li>Rules are tried from top to bottom; the first one that matches runs its actions in order.</li>
          <li>
            <code>keyword</code> matches whole words, ignoring case. <code>regex</code> (RE2 syntax: no lookarounds or
            backreferences) looks at the first 2,000 characters of a message (<code>flags: &quot;i&quot;</code> ignores case).
          </li>
          <li>
            <code>fallback</code> matches every message, so put it last.
          </li>
          <li>
            <code>send_text</code> replies; <code>{"{{contact_name}}"}</code> and other conversation variables are filled in.
          </li>
          <li>
            <code>set_variable</code> (<code>name</code>, <code>value</code>) stores a variable; templates also see the
            contact&apos;s <code>{"{{message}}"}</code> and a regex rule&apos;s <code>{"{{match_1}}"}</code>, ….
          </li>
          <li>
            <code>create_conversation_url</code> (<code>validityHours</code>: a number or <code>{"\"{{variable}}\""}</code>;{" "}
            <code>regenerate</code>, <code>takeOverOnOpen</code>, <code>autoHandBack</code>) makes a takeover link for a
            colleague and puts it in <code>{"{{conversation_share_url}}"}</code>.
          </li>
          <li>
            <code>transfer_control</code> (<code>targetBotId</code>; <code>entryText</code>, <code>entryRule</code>,{" "}
            <code>conversationKeyVariable</code>, <code>carryVariables</code>) hands the chat to another of your bots
            (their ids are under Transfer targets);
            its <code>give_back</code> returns it.
          </li>
          <li>
            <code>request_human</code> (<code>note</code>; <code>createLink</code> with the settings of{" "}
            <code>create_conversation_url</code>) puts the chat under &quot;Needs a person&quot; in your team&apos;s inbox and
            notifies the team, until an operator takes over.
          </li>
          <li>While an operator holds a conversation, the bot stays silent.</li>
          <li>
            A rule with <code>{"match: { type: \"on_hand_back\" }"}</code> runs when control returns to the bot (hand
            back, link expiry, inactivity, the owner ending it), with <code>{"{{operator_name}}"}</code>,{" "}
            <code>{"{{handed_back_reason}}"}</code> and <code>{"{{operator_session_minutes}}"}</code>.
          </li>
        </ul>
      </aside>
    </div>
  );
}
