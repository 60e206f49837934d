"use client";

import { useSyncExternalStore } from "react";

// A member's notification choices, per browser (browser notifications are a browser's permission):
// kept in localStorage, read by every open page of the app.

export type NotificationPreferences = { browser: boolean; sound: boolean };

const KEY = "switchboard.notifications";
const OFF: NotificationPreferences = { browser: false, sound: false };
const listeners = new Set<() => void>();
let cachedRaw: string | null = null;
let cached: NotificationPreferences = OFF;

export function readNotificationPreferences(): NotificationPreferences {
  const raw = typeof window === "undefined" ? null : window.localStorage.getItem(KEY);
  if (raw === cachedRaw) return cached;
  cachedRaw = raw;
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<NotificationPreferences>) : {};
    cached = { browser: parsed.browser === true, sound: parsed.sound === true };
  } catch {
    cached = OFF;
  }
  return cached;
}

export function saveNotificationPreferences(preferences: NotificationPreferences) {
  window.localStorage.setItem(KEY, JSON.stringify(preferences));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export function useNotificationPreferences(): NotificationPreferences {
  return useSyncExternalStore(subscribe, readNotificationPreferences, () => OFF);
}
