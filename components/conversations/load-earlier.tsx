"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { MessagePage } from "@/lib/conversations/message-view";

type LoadState = "idle" | "loading" | "failed";

/**
 * Paging back through a conversation: fetches the page before the cursor from
 * `pagesUrl?before=<cursor>` and hands it to `onPage`; the cursor is null once the first message
 * is loaded.
 */
export function useEarlierPages(pagesUrl: string, initialCursor: string | null, onPage: (page: MessagePage) => void) {
  const [cursor, setCursor] = useState(initialCursor);
  const [state, setState] = useState<LoadState>("idle");

  async function loadEarlier() {
    if (!cursor) return;
    setState("loading");
    try {
      const response = await fetch(`${pagesUrl}?before=${encodeURIComponent(cursor)}`, { cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      const page = (await response.json()) as MessagePage;
      onPage(page);
      setCursor(page.earlierCursor);
      setState("idle");
    } catch {
      setState("failed");
    }
  }

  return { cursor, state, loadEarlier };
}

/** The "Load earlier messages" button, shown while there is an earlier page, and what went wrong. */
export function LoadEarlierButton({ pages, className }: { pages: ReturnType<typeof useEarlierPages>; className: string }) {
  if (!pages.cursor) return null;
  return (
    <div className={className}>
      <Button variant="secondary" onClick={pages.loadEarlier} disabled={pages.state === "loading"}>
        {pages.state === "loading" ? "Loading…" : "Load earlier messages"}
      </Button>
      {pages.state === "failed" && <p className="mt-1 text-sm text-red-700">Could not load messages. Try again.</p>}
    </div>
  );
}
