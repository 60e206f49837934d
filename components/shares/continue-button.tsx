"use client";

import { useEffect, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

/**
 * "Continue this conversation": posts to the bot's web chat (`action`), which answers with the
 * address of the chat opened on the viewer's own copy, and goes there. Pressed once, it waits.
 */
export function ContinueButton({ action, publicId }: { action: string; publicId: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Back from the chat restores this page from the browser's cache: the button works again.
  useEffect(() => {
    const reset = () => setPending(false);
    window.addEventListener("pageshow", reset);
    return () => window.removeEventListener("pageshow", reset);
  }, []);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    setError(null);
    try {
      const response = await fetch(action, { method: "POST", body: new FormData(event.currentTarget), headers: { Accept: "application/json" } });
      const result = (await response.json().catch(() => null)) as { url?: string; error?: { message: string } } | null;
      if (response.ok && result?.url) return window.location.assign(result.url);
      setError(response.status === 404 ? "This link is no longer available." : (result?.error?.message ?? "The chat could not be opened. Please try again."));
    } catch {
      setError("You seem to be offline. Check your connection and try again.");
    }
    setPending(false);
  };

  return (
    <form method="post" action={action} onSubmit={submit} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="share" value={publicId} />
      <Button type="submit" disabled={pending} aria-busy={pending}>
        {pending ? "Opening the chat…" : "Continue this conversation"}
      </Button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </form>
  );
}
