"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { buttonClass } from "@/components/ui/button";
import { TypingIndicator } from "@/components/conversations/typing-indicator";
import { useTypingSignal } from "@/components/conversations/use-typing-signal";
import type { ActionResult } from "@/lib/action";
import type { Controller } from "@/lib/generated/prisma/enums";

type Action<T> = (previous: ActionResult<T> | null, payload: FormData) => Promise<ActionResult<T>>;

/** The server actions a console calls, bound to one conversation or share by hidden fields. */
export type OperatorActions = {
  takeOver: Action<{ operatorName: string }>;
  handBack: Action<null>;
  send: Action<null>;
  /** Hidden form fields that name the conversation or share (conversationId or publicId). */
  fields: Record<string, string>;
  /** Where the holder reports typing (POST) and follows the contact's (GET). */
  typingUrl: string;
};

function Hidden({ fields }: { fields: Record<string, string> }) {
  return Object.entries(fields).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />);
}

function ErrorText({ result }: { result: ActionResult<unknown> | null }) {
  return result && !result.ok ? (
    <p role="alert" className="text-sm text-red-700">
      {result.error}
    </p>
  ) : null;
}

/**
 * Take over / the operator console. "Take over on open" posts right after the page loads in a
 * browser — never on the GET — so link previewers take nothing over.
 */
export function OperatorConsole({
  takeOver,
  handBack,
  send,
  fields,
  typingUrl,
  holding: initiallyHolding,
  takeOverOnOpen,
  askName,
  controller,
}: OperatorActions & { holding: boolean; takeOverOnOpen: boolean; askName: boolean; controller: Controller }) {
  const [takeOverState, takeOverAction, takingOver] = useActionState(takeOver, null);
  const [handBackState, handBackAction, handingBack] = useActionState(handBack, null);
  const [sendState, sendAction, sending] = useActionState(send, null);
  const [holding, setHolding] = useState(initiallyHolding);
  const composer = useRef<HTMLFormElement>(null);
  const autoTakeOver = useRef<HTMLFormElement>(null);
  const onOpenField = useRef<HTMLInputElement>(null);
  // Take over on open acts on the state the page loaded with, once: a control change later (a
  // hand back seen by an idle tab) never takes control by itself. The server allows it once per link.
  const triedAutoTakeOver = useRef(controller !== "BOT");
  const [autoAttempt, setAutoAttempt] = useState(false);
  const { onType, stop: stopTyping } = useTypingSignal(holding && controller === "OPERATOR" ? typingUrl : null);

  useEffect(() => {
    if (takeOverState?.ok) setHolding(true);
  }, [takeOverState]);
  useEffect(() => {
    if (handBackState?.ok) setHolding(false);
  }, [handBackState]);
  useEffect(() => {
    if (sendState?.ok) composer.current?.reset();
  }, [sendState]);
  useEffect(() => {
    if (sending) stopTyping();
  }, [sending, stopTyping]);
  // Anyone else taking over, or the session ending, shows up as a control change.
  useEffect(() => {
    if (controller !== "OPERATOR") setHolding(false);
  }, [controller]);
  useEffect(() => {
    if (takeOverOnOpen && !initiallyHolding && controller === "BOT" && !triedAutoTakeOver.current) {
      triedAutoTakeOver.current = true;
      if (onOpenField.current) onOpenField.current.value = "1";
      setAutoAttempt(true);
      autoTakeOver.current?.requestSubmit();
    }
  }, [takeOverOnOpen, initiallyHolding, controller]);

  if (holding && controller === "OPERATOR") {
    return (
      <section aria-label="Operator console" className="flex flex-col gap-2 rounded-lg border border-emerald-300 bg-emerald-50 p-3">
        <p className="text-sm font-medium text-emerald-900">You are in control. The bot is silent until you hand back.</p>
        <TypingIndicator url={typingUrl} who="Contact" />
        <form ref={composer} action={sendAction} className="flex flex-col gap-2 sm:flex-row">
          <Hidden fields={fields} />
          <label className="sr-only" htmlFor="operator-message">
            Message to the contact
          </label>
          <textarea
            id="operator-message"
            name="text"
            rows={2}
            required
            placeholder="Write to the contact…"
            className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-2 py-1"
            onInput={onType}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey) {
                event.preventDefault();
                event.currentTarget.form?.requestSubmit();
              }
            }}
          />
          <button type="submit" className={buttonClass("primary")} disabled={sending}>
            {sending ? "Sending…" : "Send"}
          </button>
        </form>
        <ErrorText result={sendState} />
        <form action={handBackAction}>
          <Hidden fields={fields} />
          <button type="submit" className={buttonClass("secondary")} disabled={handingBack}>
            {handingBack ? "Handing back…" : "Hand back"}
          </button>
        </form>
        <ErrorText result={handBackState} />
      </section>
    );
  }

  // A refused automatic take over (the link already took over once) just leaves the button.
  const takeOverResult = autoAttempt ? null : takeOverState;
  if (controller !== "BOT") return <ErrorText result={takeOverResult} />;
  return (
    <section aria-label="Take over" className="rounded-lg border border-gray-200 p-3">
      <form ref={autoTakeOver} action={takeOverAction} className="flex flex-wrap items-end gap-2">
        <Hidden fields={fields} />
        <input ref={onOpenField} type="hidden" name="onOpen" defaultValue="" />
        {askName && (
          <label className="flex flex-col gap-1 text-sm font-medium">
            Your name (shown to others)
            <input name="operatorName" maxLength={60} placeholder="Operator" className="rounded border border-gray-300 px-2 py-1 font-normal" />
          </label>
        )}
        <button
          type="submit"
          className={buttonClass("primary")}
          disabled={takingOver}
          onClick={() => {
            if (onOpenField.current) onOpenField.current.value = "";
            setAutoAttempt(false);
          }}
        >
          {takingOver ? "Taking over…" : "Take over"}
        </button>
      </form>
      <ErrorText result={takeOverResult} />
    </section>
  );
}

