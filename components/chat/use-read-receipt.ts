"use client";

import { useEffect, useRef } from "react";
import type { MessageView } from "@/lib/conversations/message-view";

/**
 * Reports to `url` (POST …/read) that the contact has seen the newest operator message, once it is
 * on screen while the page is visible: now, or when the tab becomes visible again.
 */
export function useReadReceipt(url: string | null, messages: MessageView[]) {
  const newest = messages.findLast((message) => message.role === "OPERATOR")?.id ?? null;
  const reported = useRef<string | null>(null);

  useEffect(() => {
    if (!url || !newest) return;
    const report = () => {
      if (document.visibilityState !== "visible" || reported.current === newest) return;
      reported.current = newest;
      void fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ messageId: newest }) }).catch(() => {
        reported.current = null;
      });
    };
    report();
    document.addEventListener("visibilitychange", report);
    return () => document.removeEventListener("visibilitychange", report);
  }, [url, newest]);
}
