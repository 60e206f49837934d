"use client";

import { signOut } from "next-auth/react";
import { useActionState, useEffect, useState } from "react";
import { Button, buttonClass } from "@/components/ui/button";
import type { ActionResult } from "@/lib/action";

type Action = (previous: ActionResult<{ ended: number }> | null, payload: FormData) => Promise<ActionResult<{ ended: number }>>;

/** "Sign out everywhere", asking once; afterwards this browser signs out as well. */
export function SignOutEverywhere({ action }: { action: Action }) {
  const [confirming, setConfirming] = useState(false);
  const [result, run, pending] = useActionState(action, null);

  useEffect(() => {
    // This browser's session ended with the others: clear its cookie and go to sign-in.
    if (result?.ok) void signOut({ callbackUrl: "/login" });
  }, [result]);

  if (!confirming) {
    return (
      <div>
        <Button variant="danger" onClick={() => setConfirming(true)}>
          Sign out everywhere
        </Button>
      </div>
    );
  }
  return (
    <form action={run} className="flex flex-wrap items-center gap-2">
      <span className="text-sm text-gray-800">Sign out every browser, this one included?</span>
      <button type="submit" className={buttonClass("danger")} disabled={pending}>
        {pending ? "Signing out…" : "Yes, sign out everywhere"}
      </button>
      <Button variant="secondary" onClick={() => setConfirming(false)} disabled={pending}>
        Cancel
      </Button>
      {result && !result.ok && (
        <p role="alert" className="w-full text-sm text-red-700">
          {result.error}
        </p>
      )}
    </form>
  );
}
