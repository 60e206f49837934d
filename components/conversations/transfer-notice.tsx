import Link from "next/link";
import type { TransferPeer } from "@/lib/transfers/queries";

/**
 * While a transfer is open the contact talks on the target bot's conversation: the source page
 * points there (that is where an operator takes over), and the target points back, also once the
 * contact has gone back.
 */
export function TransferNotice({ to, from, returnedTo }: { to: TransferPeer | null; from: TransferPeer | null; returnedTo: TransferPeer | null }) {
  if (!to && !from && !returnedTo) return null;
  return (
    <p className="rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900" data-testid="transfer-notice">
      {to ? (
        <>
          Transferred to {to.botName}: the contact is talking there.{" "}
          <Link href={`/conversations/${to.conversationId}`} className="font-medium underline">
            Open that conversation
          </Link>
        </>
      ) : returnedTo ? (
        <>
          The transfer has ended: the contact is back with {returnedTo.botName}, and messages written here no longer reach
          them.{" "}
          <Link href={`/conversations/${returnedTo.conversationId}`} className="font-medium underline">
            Open the original conversation
          </Link>
        </>
      ) : (
        <>
          Transferred here from {from!.botName}, which gets control back when this bot gives it back.{" "}
          <Link href={`/conversations/${from!.conversationId}`} className="font-medium underline">
            Open the original conversation
          </Link>
        </>
      )}
    </p>
  );
}
