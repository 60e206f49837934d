"use client";

import { useCallback, useEffect, useRef } from "react";

/** At most one "typing" report per this long while someone keeps typing. */
const REPORT_EVERY_MS = 2_000;
/** No keystroke for this long counts as having stopped. */
const IDLE_MS = 5_000;

/**
 * Tells the other party of a live chat that this one is typing: `onType` on every keystroke
 * (throttled to one POST every ~2 s), `stop` when the message is sent; ~5 s without a keystroke
 * stops by itself. `url` null: nobody to tell (no conversation yet, not holding it).
 */
export function useTypingSignal(url: string | null) {
  const state = useRef<{ typing: boolean; lastReport: number; idle?: ReturnType<typeof setTimeout> }>({ typing: false, lastReport: 0 });

  const report = useCallback(
    (typing: boolean) => {
      if (!url) return;
      void fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ typing }), keepalive: true }).catch(
        () => {},
      );
    },
    [url],
  );

  const stop = useCallback(() => {
    const current = state.current;
    clearTimeout(current.idle);
    if (!current.typing) return;
    current.typing = false;
    current.lastReport = 0;
    report(false);
  }, [report]);

  const onType = useCallback(() => {
    if (!url) return;
    const current = state.current;
    clearTimeout(current.idle);
    current.idle = setTimeout(stop, IDLE_MS);
    const now = Date.now();
    if (current.typing && now - current.lastReport < REPORT_EVERY_MS) return;
    current.typing = true;
    current.lastReport = now;
    report(true);
  }, [url, stop, report]);

  // Leaving the page or losing the conversation ends the typing.
  useEffect(() => stop, [stop]);

  return { onType, stop };
}
