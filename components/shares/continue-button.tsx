"use client";

import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * "Continue this conversation": a plain form POST (it works without JavaScript), answered with a
 * redirect to the bot's web chat opened on the viewer's own copy. Pressed once, it waits.
 */
export function ContinueButton({ action, publicId }: { action: string; publicId: string }) {
  const [pending, setPending] = useState(false);
  // Back from the chat restores this page from the browser's cache: the button works again.
  useEffect(() => {
    const reset = () => setPending(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);
  return (
    <form method="post" action={action} onSubmit={() => setPending(true)}>
      <input type="hidden" name="share" value={publicId} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Opening the chat…" : "Continue this conversation"}
      </Button>
    </form>
  );
}
