"use client";

import { useEffect, useState } from "react";
import type { ConversationSignal } from "@/lib/events/types";

/** A "typing" signal is repeated every ~2 s while typing: silence this long means the typing stopped. */
const EXPIRES_MS = 7_000;

/**
 * "<name> is typing…" while the other party of a live chat types, from the typing stream at `url`
 * (null: no stream, nothing shown). `who` names a party whose signals carry no name (the contact).
 */
export function TypingIndicator({ url, who }: { url: string | null; who: string }) {
  const [typist, setTypist] = useState<{ url: string; name: string } | null>(null);

  useEffect(() => {
    if (!url) return;
    const source = new EventSource(url);
    let expiry: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener("typing", (message: MessageEvent<string>) => {
      const signal = JSON.parse(message.data) as ConversationSignal;
      clearTimeout(expiry);
      if (!signal.typing) return setTypist(null);
      setTypist({ url, name: signal.name ?? who });
      expiry = setTimeout(() => setTypist(null), EXPIRES_MS);
    });
    return () => {
      clearTimeout(expiry);
      source.close();
    };
  }, [url, who]);

  // A name from a stream this component no longer follows is not shown.
  const shown = typist && typist.url === url ? typist.name : null;
  return (
    <p aria-live="polite" data-testid="typing-indicator" className="min-h-5 text-sm text-gray-500 italic">
      {shown ? `${shown} is typing…` : ""}
    </p>
  );
}
