"use client";

import type { InboxItem } from "@/lib/inbox/view";
import { readNotificationPreferences } from "@/components/inbox/notification-preferences";

/** What is worth telling the member about a row that just changed, or null. */
export function notificationFor(item: InboxItem, previous: InboxItem | undefined): { title: string; body: string } | null {
  if (item.state === "needs_human" && previous?.state !== "needs_human") {
    return { title: `Needs a person: ${item.title}`, body: item.needsHumanNote ?? `${item.contactName} asked for a person.` };
  }
  if (item.heldByYou && item.unread > (previous?.unread ?? 0)) {
    return { title: `New message from ${item.contactName}`, body: item.title };
  }
  return null;
}

/** A short two-tone chime made on the spot (no sound file to load). */
function playChime() {
  const context = new AudioContext();
  const gain = context.createGain();
  gain.gain.value = 0.08;
  gain.connect(context.destination);
  [880, 660].forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    oscillator.frequency.value = frequency;
    oscillator.connect(gain);
    oscillator.start(context.currentTime + index * 0.15);
    oscillator.stop(context.currentTime + index * 0.15 + 0.12);
  });
  setTimeout(() => void context.close(), 1000);
}

/** Tells the member, the ways they opted in to: a browser notification that opens the conversation, a sound. */
export function notifyMember(item: InboxItem, notification: { title: string; body: string }) {
  const preferences = readNotificationPreferences();
  if (preferences.browser && "Notification" in window && Notification.permission === "granted") {
    const shown = new Notification(notification.title, { body: notification.body, tag: `conversation-${item.id}` });
    shown.onclick = () => {
      window.focus();
      window.location.assign(`/conversations/${item.id}`);
    };
  }
  if (preferences.sound) {
    try {
      playChime();
    } catch {
      // No audio output (or the browser blocks it until the page was clicked): the notification is enough.
    }
  }
}
