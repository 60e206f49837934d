"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import type { TokenRow } from "@/components/tokens/token-rows";
import type { ActionResult } from "@/lib/action";

type CreateAction = (previous: ActionResult<{ token: string; name: string }> | null, payload: FormData) => Promise<ActionResult<{ token: string; name: string }>>;
type RevokeAction = (previous: ActionResult<{ tokenId: string }> | null, payload: FormData) => Promise<ActionResult<{ tokenId: string }>>;

type Props = {
  tokens: TokenRow[];
  createAction: CreateAction;
  revokeAction: RevokeAction;
  /** Hidden field sent with "create" (a bot token's bot). */
  botId?: string;
  /** What the tokens are for, in the empty state. */
  emptyHint: string;
  /** An example name that fits the kind of token (a bot's bridge, a personal script). */
  namePlaceholder?: string;
};

/** Create a token (shown once, with a copy button), list tokens and revoke them. */
export function TokenManager({ tokens, createAction, revokeAction, botId, emptyHint, namePlaceholder = "e.g. WhatsApp bridge" }: Props) {
  const [created, create, creating] = useActionState(createAction, null);
  const [revoked, revoke, revoking] = useActionState(revokeAction, null);
  // The "copy it now" notice kept offering a token after it had been revoked in the list below;
  // hide it once the row whose prefix starts the new token shows as revoked.
  const createdRevoked =
    created?.ok === true && tokens.some((token) => token.revokedAt && created.data.token.startsWith(token.prefix));

  return (
    <div className="flex flex-col gap-4">
      <form action={create} className="flex flex-wrap items-end gap-2">
        {botId && <input type="hidden" name="botId" value={botId} />}
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-medium">Token name</span>
          <input
            name="name"
            required
            maxLength={100}
            placeholder={namePlaceholder}
            className="rounded-md border border-gray-300 px-2 py-1.5"
            aria-invalid={created && !created.ok ? true : undefined}
          />
        </label>
        <Button type="submit" disabled={creating}>
          {creating ? "Creating…" : "Create token"}
        </Button>
        {created && !created.ok && (
          <p role="alert" className="w-full text-sm text-red-700">
            {created.error}
          </p>
        )}
      </form>

      {created?.ok && !createdRevoked && (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm">
          <p className="mb-2 font-medium">
            Token “{created.data.name}” created. Copy it now: it is not shown again.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="new-token" className="break-all rounded bg-white px-2 py-1 font-mono">
              {created.data.token}
            </code>
            <CopyButton text={created.data.token} label="Copy token" />
          </div>
        </div>
      )}

      {revoked && !revoked.ok && (
        <p role="alert" className="text-sm text-red-700">
          {revoked.error}
        </p>
      )}

      {tokens.length === 0 ? (
        <p className="rounded-md border border-dashed border-gray-300 p-3 text-sm text-gray-600">No tokens yet. {emptyHint}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-gray-600">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Token</th>
              {/* Hidden on phones, where five columns squeezed names and dates to a word per line. */}
              <th className="py-1 font-medium max-sm:hidden">Created</th>
              <th className="py-1 font-medium">Last used</th>
              <th className="py-1 font-medium">
                <span className="sr-only">Status</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} className="border-t border-gray-200">
                <td className="py-1.5">{token.name}</td>
                <td className="py-1.5 font-mono">{token.prefix}…</td>
                <td className="py-1.5 max-sm:hidden">
                  <RelativeTime iso={token.createdAt} />
                </td>
                <td className="py-1.5">{token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} /> : "Never"}</td>
                <td className="py-1.5 text-right">
                  {token.revokedAt ? (
                    <span className="text-gray-500">
                      Revoked <RelativeTime iso={token.revokedAt} />
                    </span>
                  ) : (
                    <form
                      action={revoke}
                      onSubmit={(event) => {
                        if (!window.confirm(`Revoke “${token.name}”? Anything using it stops working at once.`)) event.preventDefault();
                      }}
                    >
                      <input type="hidden" name="tokenId" value={token.id} />
                      <Button type="submit" variant="danger" disabled={revoking} aria-label={`Revoke ${token.name}`}>
                        Revoke
                      </Button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
