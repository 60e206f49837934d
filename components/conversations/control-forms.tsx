"use client";

import { startTransition, useActionState, useEffect, useState, type FormEvent } from "react";
import { OperatorNameField, readStoredOperatorName, storeOperatorName, type NameRequest } from "@/components/conversations/operator-name-field";
import type { OperatorActions, SessionResult } from "@/components/conversations/operator-console";
import { buttonClass, type ButtonVariant } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";

/** An action run through useActionState by the console: its latest result, dispatch and pending flag. */
export type ActionHandle<T> = { state: ActionResult<T> | null; dispatch: (payload: FormData) => void; pending: boolean };

export function Hidden({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

export function ErrorText({ result }: { result: ActionResult<unknown> | null }) {
  return result && !result.ok ? (
    <p role="alert" className="text-sm text-red-700">
      {result.error}
    </p>
  ) : null;
}

/** A form that is one button: runs the action with the fields naming the conversation or share. */
export function ButtonForm({
  fields,
  dispatch,
  pending,
  label,
  pendingLabel,
  variant = "primary",
}: {
  fields: Record<string, string>;
  dispatch: (payload: FormData) => void;
  pending: boolean;
  label: string;
  pendingLabel: string;
  variant?: ButtonVariant;
}) {
  return (
    <form onSubmit={submitWith(dispatch, null)}>
      <Hidden fields={fields} />
      <button type="submit" className={buttonClass(variant)} disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
    </form>
  );
}

/** Submits a form to a server action without React resetting its fields, keeping an anonymous name. */
function submitWith(dispatch: (payload: FormData) => void, nameRequest: NameRequest) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const payload = new FormData(event.currentTarget);
    if (nameRequest === "anonymous") storeOperatorName(String(payload.get("operatorName") ?? ""));
    startTransition(() => dispatch(payload));
  };
}

/**
 * Take over while the bot answers. "Take over on open" submits once, right after the page loads in
 * a browser (never on the GET, so link previewers take nothing over), and only when this page
 * loaded with the bot in control: a later control change (a hand back seen by an idle tab) never
 * takes control by itself. The server allows it once per link. An anonymous operator without a
 * name in this browser gives one first: they take over with a click.
 */
export function TakeOverForm({
  fields,
  takeOver: { state, dispatch, pending },
  nameRequest,
  takeOverOnOpen,
  onOpenTried,
}: {
  fields: Record<string, string>;
  /** The console's take over action: its result outlives this form (a control event may unmount it first). */
  takeOver: ActionHandle<SessionResult>;
  nameRequest: NameRequest;
  /** Whether this is the page's first form after loading with the bot in control on a take-over-on-open link. */
  takeOverOnOpen: boolean;
  onOpenTried: () => void;
}) {
  const [automatic, setAutomatic] = useState(false);

  useEffect(() => {
    if (!takeOverOnOpen) return;
    onOpenTried();
    const storedName = readStoredOperatorName();
    if (nameRequest === "member" || (nameRequest === "anonymous" && !storedName)) return;
    const payload = new FormData();
    for (const [name, value] of Object.entries(fields)) payload.set(name, value);
    payload.set("onOpen", "1");
    if (nameRequest === "anonymous") payload.set("operatorName", storedName);
    setAutomatic(true);
    startTransition(() => dispatch(payload));
  }, [takeOverOnOpen, onOpenTried, nameRequest, fields, dispatch]);

  return (
    <section aria-label="Take over" className="rounded-lg border border-gray-200 bg-white p-3">
      <form onSubmit={submitWith(dispatch, nameRequest)} className="flex flex-wrap items-end gap-2">
        <Hidden fields={fields} />
        <OperatorNameField request={nameRequest} id="take-over-name" />
        <button type="submit" className={buttonClass("primary")} disabled={pending} onClick={() => setAutomatic(false)}>
          {pending ? "Taking over…" : "Take over"}
        </button>
      </form>
      {/* A refused automatic take over (the link already took over once) just leaves the button. */}
      {!automatic && <ErrorText result={state} />}
    </section>
  );
}

/**
 * Someone else holds the conversation: ask them for control (they see the request live and may
 * hand back), or, for the conversation's owners and admins, take it or end the session.
 */
export function HeldByOtherForm({
  actions,
  forceTakeOver: { state: forceState, dispatch: force, pending: forcing },
  holder,
  nameRequest,
}: {
  actions: OperatorActions;
  /** The console's override action (owners and admins): its result outlives this form. */
  forceTakeOver: ActionHandle<SessionResult>;
  holder: string;
  nameRequest: NameRequest;
}) {
  const [requestState, request, requesting] = useActionState(actions.requestControl, null);
  const [endState, end, ending] = useActionState(actions.endSession ?? actions.requestControl, null);

  return (
    <section aria-label="Held by another operator" className="flex flex-col gap-2 rounded-lg border border-gray-200 bg-white p-3">
      <form onSubmit={submitWith(request, nameRequest)} className="flex flex-wrap items-end gap-2">
        <Hidden fields={actions.fields} />
        <OperatorNameField request={nameRequest} id="request-control-name" />
        <button type="submit" className={buttonClass("secondary")} disabled={requesting}>
          {requesting ? "Asking…" : "Request control"}
        </button>
      </form>
      {requestState?.ok && <p className="text-sm text-gray-700" role="status">Asked {holder} to hand over. Control moves only when they hand back.</p>}
      <ErrorText result={requestState} />
      {actions.forceTakeOver && actions.endSession && (
        <div className="flex flex-wrap gap-2 border-t border-gray-100 pt-2">
          <ButtonForm fields={actions.fields} dispatch={force} pending={forcing} label="Take over" pendingLabel="Taking over…" />
          <ButtonForm fields={actions.fields} dispatch={end} pending={ending} label="End session" pendingLabel="Ending…" variant="danger" />
          <ErrorText result={forceState} />
          <ErrorText result={endState} />
        </div>
      )}
    </section>
  );
}
