"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/**
 * Re-renders the page every `intervalMs` while it is mounted: the webhook deliveries list shows
 * it while a delivery is still on its way, so the operator sees it turn Delivered or Failed
 * without reloading. Client state (live messages, the composer) survives a refresh.
 */
export function RefreshWhilePending({ intervalMs = 2000 }: { intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), intervalMs);
    return () => clearInterval(timer);
  }, [router, intervalMs]);
  return null;
}
