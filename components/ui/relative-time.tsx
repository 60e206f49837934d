"use client";

import { useEffect, useState } from "react";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

function describe(date: Date, now: number) {
  const seconds = Math.round((date.getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return Math.abs(seconds) < 10 ? "just now" : format.format(seconds, "second");
}

/** "3 hours ago", with the absolute time on hover. Renders the ISO time until hydrated. */
export function RelativeTime({ iso }: { iso: string }) {
  const date = new Date(iso);
  const [label, setLabel] = useState<string | null>(null);
  useEffect(() => {
    const update = () => setLabel(describe(new Date(iso), Date.now()));
    update();
    const timer = setInterval(update, 30_000);
    return () => clearInterval(timer);
  }, [iso]);
  return (
    <time dateTime={iso} title={date.toLocaleString()} suppressHydrationWarning>
      {label ?? date.toISOString().slice(0, 16).replace("T", " ")}
    </time>
  );
}
