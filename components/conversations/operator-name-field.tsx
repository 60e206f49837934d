"use client";

import { useEffect, useState } from "react";

/** Where an anonymous operator's display name stays between visits (this browser only). */
const STORAGE_KEY = "switchboard:operator-name";

/**
 * Who asks for the operator's display name: an anonymous link holder (kept in this browser and
 * prefilled next time), a member who has not chosen their operator name yet (kept on their
 * account), or nobody (a member who has one).
 */
export type NameRequest = "anonymous" | "member" | null;

export function readStoredOperatorName(): string {
  try {
    return window.localStorage.getItem(STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

export function storeOperatorName(name: string) {
  try {
    if (name.trim()) window.localStorage.setItem(STORAGE_KEY, name.trim());
  } catch {
    // Storage refused (private mode): the name is asked again next time.
  }
}

/** The operator's display name, shown to the contact, other operators and History. Required. */
export function OperatorNameField({ request, id }: { request: NameRequest; id: string }) {
  const [name, setName] = useState("");
  useEffect(() => {
    if (request === "anonymous") setName(readStoredOperatorName());
  }, [request]);
  if (!request) return null;
  return (
    <label className="flex flex-col gap-1 text-sm font-medium" htmlFor={id}>
      {request === "anonymous" ? "Your name (shown to others)" : "Your operator name (shown to contacts and History, set once)"}
      <input
        id={id}
        name="operatorName"
        required
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.target.value)}
        autoComplete="nickname"
        className="rounded border border-gray-300 px-2 py-1 font-normal"
      />
    </label>
  );
}
