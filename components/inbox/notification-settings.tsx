"use client";

import { useState } from "react";
import { saveNotificationPreferences, useNotificationPreferences } from "@/components/inbox/notification-preferences";
import { Button } from "@/components/ui/button";

/**
 * The member's opt-in, in this browser: browser notifications (the permission prompt appears when
 * they click, as browsers require) and a sound, for contacts who need a person and for new
 * messages in the chats they hold.
 */
export function NotificationSettings() {
  const preferences = useNotificationPreferences();
  const [problem, setProblem] = useState<string | null>(null);

  async function enableBrowser() {
    setProblem(null);
    if (!("Notification" in window)) return setProblem("This browser does not show notifications.");
    const permission = await Notification.requestPermission();
    if (permission !== "granted") return setProblem("Notifications are blocked for this site; allow them in the browser's site settings.");
    saveNotificationPreferences({ ...preferences, browser: true });
  }

  return (
    <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="notification-settings">
      {preferences.browser ? (
        <Button variant="secondary" type="button" onClick={() => saveNotificationPreferences({ ...preferences, browser: false })}>
          Turn off notifications
        </Button>
      ) : (
        <Button variant="secondary" type="button" onClick={() => void enableBrowser()}>
          Enable notifications
        </Button>
      )}
      <label className="flex items-center gap-1.5">
        <input
          type="checkbox"
          checked={preferences.sound}
          onChange={(event) => saveNotificationPreferences({ ...preferences, sound: event.target.checked })}
        />
        Play a sound
      </label>
      <span role="status" className={problem ? "text-red-700" : "text-gray-600"}>
        {problem ?? (preferences.browser ? "Notifications on in this browser." : "")}
      </span>
    </div>
  );
}
