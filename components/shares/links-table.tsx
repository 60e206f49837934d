"use client";

import Link from "next/link";
import { useActionState, useEffect, useState } from "react";
import { revokeLinksAction } from "@/app/(app)/links/actions";
import { buttonClass } from "@/components/ui/button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { LinkRow } from "@/components/shares/link-rows";
import type { ShareListFilter } from "@/lib/shares/schemas";
import type { ShareStatus } from "@/lib/shares/status";

type Props = {
  rows: LinkRow[];
  /** The filter the links page listed the rows with: "Revoke all matching" revokes exactly it. */
  filter?: ShareListFilter;
  /** Whether the viewer may revoke (owners and admins); others see the list only. */
  canRevoke: boolean;
  /**
   * "page": the links page, with each row's conversation, selection and the bulk revokes;
   * "conversation": one conversation's links in its share modal, revoked one at a time.
   */
  variant?: "page" | "conversation";
  /** Shown instead of the table when there are no rows (a revoke's result stays above it). */
  emptyMessage?: string;
};

const MODE_LABELS = { VIEW: "View", TAKEOVER: "Takeover", AUTO: "Auto" } as const;
const VISIBILITY_LABELS = { PUBLIC: "Anyone with the link", ORGANIZATION: "Organization", PRIVATE: "Only the creator" } as const;
const STATUS_CLASSES: Record<ShareStatus, string> = {
  active: "bg-green-100 text-green-800",
  expired: "bg-gray-100 text-gray-700",
  revoked: "bg-red-100 text-red-800",
};

function When({ date, empty }: { date: Date | null; empty: string }) {
  return date ? <RelativeTime iso={new Date(date).toISOString()} /> : <>{empty}</>;
}

/** A destructive button that asks once: the first click shows "Confirm …", which submits. */
function ConfirmSubmit({ value, label, confirmLabel, armed, onArm, disabled }: {
  value: string;
  label: string;
  confirmLabel: string;
  armed: boolean;
  onArm: () => void;
  disabled: boolean;
}) {
  // Two keys, two buttons: were the clicked button turned into the submit button, the same click
  // would submit the form and revoke without asking.
  return armed ? (
    <button key="confirm" type="submit" name="revoke" value={value} className={buttonClass("danger")} disabled={disabled}>
      {confirmLabel}
    </button>
  ) : (
    <button key="arm" type="button" className={buttonClass("danger")} onClick={onArm} disabled={disabled}>
      {label}
    </button>
  );
}

/** Shares as a table: revoke one, the ticked ones, or every active one matching the filter. */
export function LinksTable({ rows, filter = {}, canRevoke, variant = "page", emptyMessage = "No links." }: Props) {
  const onPage = variant === "page";
  const canSelect = canRevoke && onPage;
  const [result, revokeAction, revoking] = useActionState(revokeLinksAction, null);
  const [armed, setArmed] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const activeRows = rows.filter((row) => row.status === "active");

  // New rows after a revoke: nothing stays armed or ticked.
  useEffect(() => {
    setArmed(null);
    setSelected(new Set());
  }, [rows]);

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <form action={revokeAction} className="flex flex-col gap-3">
      {onPage && Object.entries(filter).map(([name, value]) => (value ? <input key={name} type="hidden" name={name} value={value} /> : null))}
      {canSelect && activeRows.length > 0 && (
        <div className="flex flex-wrap items-center gap-2">
          <ConfirmSubmit
            value="selected"
            label={`Revoke selected (${selected.size})`}
            confirmLabel={`Confirm: revoke ${selected.size} selected`}
            armed={armed === "selected"}
            onArm={() => setArmed("selected")}
            disabled={revoking || selected.size === 0}
          />
          <ConfirmSubmit
            value="matching"
            label="Revoke all matching"
            confirmLabel="Confirm: revoke every active link matching this filter"
            armed={armed === "matching"}
            onArm={() => setArmed("matching")}
            disabled={revoking}
          />
        </div>
      )}
      {result && (
        <p role={result.ok ? "status" : "alert"} className={result.ok ? "text-sm text-green-700" : "text-sm text-red-700"}>
          {result.ok ? `Revoked ${result.data.revoked} ${result.data.revoked === 1 ? "link" : "links"}.` : result.error}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="text-sm text-gray-700">{emptyMessage}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-gray-200 text-gray-600">
              <tr>
                {canSelect && (
                  <th scope="col" className="p-2">
                    <span className="sr-only">Select</span>
                  </th>
                )}
                {onPage && <th scope="col" className="p-2">Conversation</th>}
                <th scope="col" className="p-2">Link</th>
                <th scope="col" className="p-2">Mode</th>
                <th scope="col" className="p-2">Visibility</th>
                <th scope="col" className="p-2">Status</th>
                <th scope="col" className="p-2">Views</th>
                <th scope="col" className="p-2">Last viewed</th>
                <th scope="col" className="p-2">Continuations</th>
                <th scope="col" className="p-2">Created by</th>
                <th scope="col" className="p-2">Created</th>
                <th scope="col" className="p-2">Expires</th>
                {canRevoke && (
                  <th scope="col" className="p-2">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="border-b border-gray-100 align-top" data-testid="link-row" data-status={row.status}>
                  {canSelect && (
                    <td className="p-2">
                      {row.status === "active" && (
                        <input
                          type="checkbox"
                          name="shareIds"
                          value={row.id}
                          checked={selected.has(row.id)}
                          onChange={(event) => toggle(row.id, event.target.checked)}
                          aria-label={`Select the link of ${row.conversationTitle} created ${new Date(row.createdAt).toISOString()}`}
                        />
                      )}
                    </td>
                  )}
                  {onPage && (
                    <td className="max-w-48 p-2 break-words">
                      <Link href={`/conversations/${row.conversationId}`} className="text-brand underline">
                        {row.conversationTitle}
                      </Link>
                    </td>
                  )}
                  <td className="max-w-40 truncate p-2 font-mono text-xs" title={row.url}>
                    {row.url.slice(row.url.lastIndexOf("/") + 1, row.url.lastIndexOf("/") + 9)}…
                  </td>
                  <td className="p-2">{MODE_LABELS[row.mode]}</td>
                  <td className="p-2">{VISIBILITY_LABELS[row.visibility]}</td>
                  <td className="p-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_CLASSES[row.status]}`}>{row.status}</span>
                  </td>
                  <td className="p-2">{row.viewCount}</td>
                  <td className="p-2">
                    <When date={row.lastViewedAt} empty="never" />
                  </td>
                  <td className="p-2">{row.continuationCount}</td>
                  <td className="p-2">{row.creatorName ?? "a deleted bot"}{row.createdByBot && row.creatorName ? " (bot)" : ""}</td>
                  <td className="p-2">
                    <When date={row.createdAt} empty="" />
                  </td>
                  <td className="p-2">
                    <When date={row.expiresAt} empty="never" />
                  </td>
                  {canRevoke && (
                    <td className="p-2">
                      {row.status === "active" && (
                        <ConfirmSubmit
                          value={`one:${row.id}`}
                          label="Revoke"
                          confirmLabel="Confirm revoke"
                          armed={armed === row.id}
                          onArm={() => setArmed(row.id)}
                          disabled={revoking}
                        />
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
