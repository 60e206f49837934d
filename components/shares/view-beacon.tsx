"use client";

import { useEffect } from "react";

/** Counts this page view once the page has loaded in a browser. */
export function ViewBeacon({ url }: { url: string }) {
  useEffect(() => {
    void fetch(url, { method: "POST", keepalive: true });
  }, [url]);
  return null;
}
