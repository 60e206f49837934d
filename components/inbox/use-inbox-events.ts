"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import type { InboxItem } from "@/lib/inbox/view";

/**
 * Follows the member's inbox stream. Rows are state, not a log, so a reconnect (the server
 * restarted, the network dropped) reloads the list from the server instead of replaying.
 */
export function useInboxEvents(onItem: (item: InboxItem) => void) {
  const router = useRouter();
  const handler = useRef(onItem);
  useEffect(() => {
    handler.current = onItem;
  });
  useEffect(() => {
    const source = new EventSource("/conversations/events");
    let opened = 0;
    source.addEventListener("ready", () => {
      opened += 1;
      if (opened > 1) router.refresh();
    });
    source.addEventListener("conversation", (message: MessageEvent<string>) => handler.current(JSON.parse(message.data) as InboxItem));
    return () => source.close();
  }, [router]);
}
