"use client";

import { startTransition, useActionState, useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { ButtonForm, ErrorText, HeldByOtherForm, TakeOverForm } from "@/components/conversations/control-forms";
import type { NameRequest } from "@/components/conversations/operator-name-field";
import { TypingIndicator } from "@/components/conversations/typing-indicator";
import { useTypingSignal } from "@/components/conversations/use-typing-signal";
import { buttonClass } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";
import type { Controller } from "@/lib/generated/prisma/enums";

type Action<T> = (previous: ActionResult<T> | null, payload: FormData) => Promise<ActionResult<T>>;

/** What a take over answers: the name the operator acts under and the session this browser now holds. */
export type SessionResult = { operatorName: string; sessionId: string };

/** The server actions a console calls, bound to one conversation or share by hidden fields. */
export type OperatorActions = {
  takeOver: Action<SessionResult>;
  handBack: Action<null>;
  send: Action<null>;
  requestControl: Action<null>;
  /** Owners and admins only: take control from whoever holds it, or end their session. */
  forceTakeOver?: Action<SessionResult>;
  endSession?: Action<null>;
  /** Hidden form fields that name the conversation or share (conversationId or publicId). */
  fields: Record<string, string>;
  /** Where the holder reports typing (POST) and follows the contact's (GET). */
  typingUrl: string;
};

export type LiveControl = { controller: Controller; operatorName: string | null; sessionId: string | null };

/** A live request for control, addressed to the session holding the conversation. */
export type ControlRequest = { id: string; operatorName: string; sessionId: string };

/**
 * Take over / the operator console. This browser holds the conversation while the session it
 * took over with is the one in control: anyone else taking it (an owner) or the session ending
 * turns the console back into the controls of someone who does not hold it.
 */
export function OperatorConsole({
  heldSessionId: initiallyHeld,
  takeOverOnOpen,
  nameRequest,
  control,
  requests,
  ...actions
}: OperatorActions & {
  heldSessionId: string | null;
  takeOverOnOpen: boolean;
  nameRequest: NameRequest;
  control: LiveControl;
  requests: ControlRequest[];
}) {
  const [heldSessionId, setHeldSessionId] = useState(initiallyHeld);
  const [handBackState, handBackAction, handingBack] = useActionState(actions.handBack, null);
  const [dismissed, setDismissed] = useState<string[]>([]);
  // Take over results live here, not in the forms: the control event of this very take over can
  // arrive first and swap the form away before its result does.
  const [takeOverState, takeOver, takingOver] = useActionState(actions.takeOver, null);
  const [forceState, force, forcing] = useActionState(actions.forceTakeOver ?? actions.takeOver, null);
  // Take over on open acts on the state the page loaded with, once: a take over form that shows up
  // later (after a hand back seen by an idle tab, or this tab's own) never takes control by itself.
  const [onOpenPending, setOnOpenPending] = useState(() => takeOverOnOpen && initiallyHeld === null && control.controller === "BOT");
  const onOpenTried = useCallback(() => setOnOpenPending(false), []);
  const holding =
    heldSessionId !== null && control.controller === "OPERATOR" && (control.sessionId === null || control.sessionId === heldSessionId);

  useEffect(() => {
    if (takeOverState?.ok) setHeldSessionId(takeOverState.data.sessionId);
  }, [takeOverState]);
  useEffect(() => {
    if (forceState?.ok) setHeldSessionId(forceState.data.sessionId);
  }, [forceState]);
  useEffect(() => {
    if (handBackState?.ok) setHeldSessionId(null);
  }, [handBackState]);

  if (holding) {
    const open = requests.filter((request) => request.sessionId === heldSessionId && !dismissed.includes(request.id));
    return (
      <section
        aria-label="Operator console"
        className="sticky bottom-0 z-10 flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3 shadow-[0_-4px_12px_rgba(0,0,0,0.06)]"
      >
        <p className="text-sm font-medium text-emerald-900">You are in control. The bot is silent until you hand back.</p>
        {open.map((request) => (
          <div key={request.id} role="alert" className="flex flex-wrap items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-2 py-1 text-sm">
            <span className="flex-1">{request.operatorName} asks for control.</span>
            <button type="button" className={buttonClass("secondary")} onClick={() => setDismissed((ids) => [...ids, request.id])}>
              Dismiss
            </button>
          </div>
        ))}
        <TypingIndicator url={actions.typingUrl} who="Contact" />
        <Composer send={actions.send} fields={actions.fields} typingUrl={actions.typingUrl} />
        <ButtonForm
          fields={actions.fields}
          dispatch={handBackAction}
          pending={handingBack}
          label="Hand back"
          pendingLabel="Handing back…"
          variant="secondary"
        />
        <ErrorText result={handBackState} />
      </section>
    );
  }
  if (control.controller === "BOT") {
    return (
      <TakeOverForm
        fields={actions.fields}
        takeOver={{ state: takeOverState, dispatch: takeOver, pending: takingOver }}
        nameRequest={nameRequest}
        takeOverOnOpen={onOpenPending}
        onOpenTried={onOpenTried}
      />
    );
  }
  if (control.controller === "OPERATOR") {
    return (
      <HeldByOtherForm
        actions={actions}
        forceTakeOver={{ state: forceState, dispatch: force, pending: forcing }}
        holder={control.operatorName ?? "the operator"}
        nameRequest={nameRequest}
      />
    );
  }
  return null;
}

/**
 * What the operator writes. Enter sends, Shift+Enter starts a new line (lines are kept). Text
 * typed while a message is on its way stays: only the sent text leaves the box.
 */
function Composer({ send, fields, typingUrl }: { send: Action<null>; fields: Record<string, string>; typingUrl: string }) {
  const [state, dispatch, sending] = useActionState(send, null);
  const { onType, stop: stopTyping } = useTypingSignal(typingUrl);
  const [text, setText] = useState("");
  const inFlight = useRef<string | null>(null);

  useEffect(() => {
    const sent = inFlight.current;
    if (!state || sent === null) return;
    inFlight.current = null;
    if (state.ok) setText((current) => (current.startsWith(sent) ? current.slice(sent.length).replace(/^\s+/, "") : current));
  }, [state]);

  const submit = (event?: FormEvent<HTMLFormElement>) => {
    event?.preventDefault();
    if (sending || text.trim() === "") return;
    const payload = new FormData();
    for (const [name, value] of Object.entries(fields)) payload.set(name, value);
    payload.set("text", text);
    inFlight.current = text;
    stopTyping();
    startTransition(() => dispatch(payload));
  };

  return (
    <>
      <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row">
        <label className="sr-only" htmlFor="operator-message">
          Message to the contact
        </label>
        <textarea
          id="operator-message"
          name="text"
          rows={Math.min(6, Math.max(2, text.split("\n").length))}
          required
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            onType();
          }}
          placeholder="Write to the contact…"
          className="min-w-0 flex-1 resize-none rounded-md border border-gray-300 bg-white px-2 py-1"
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              submit();
            }
          }}
        />
        <button type="submit" className={buttonClass("primary")} disabled={sending}>
          {sending ? "Sending…" : "Send"}
        </button>
      </form>
      <ErrorText result={state} />
    </>
  );
}
