"use client";

import { useActionState } from "react";
import { buttonClass } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";

type Action = (previous: ActionResult<{ operatorName: string }> | null, payload: FormData) => Promise<ActionResult<{ operatorName: string }>>;

/** The display name a member operates under; saved on the account. */
export function OperatorNameForm({ action, current }: { action: Action; current: string | null }) {
  const [state, dispatch, pending] = useActionState(action, null);
  return (
    <form action={dispatch} className="flex flex-wrap items-end gap-2">
      <label className="flex flex-col gap-1 text-sm font-medium">
        Operator name
        <input
          name="operatorName"
          required
          maxLength={60}
          defaultValue={state?.ok ? state.data.operatorName : (current ?? "")}
          className="rounded border border-gray-300 px-2 py-1 font-normal"
        />
      </label>
      <button type="submit" className={buttonClass("primary")} disabled={pending}>
        {pending ? "Saving…" : "Save"}
      </button>
      {state?.ok && <p role="status" className="w-full text-sm text-emerald-800">Saved. You operate as {state.data.operatorName}.</p>}
      {state && !state.ok && <p role="alert" className="w-full text-sm text-red-700">{state.error}</p>}
    </form>
  );
}
