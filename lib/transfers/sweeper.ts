import "server-only";
import { startPeriodicJob } from "@/lib/jobs/periodic";
import { sweepTransfers } from "@/lib/transfers/expiry";

/**
 * Ends stale transfers (no contact message for TRANSFER_STALE_MINUTES) every `intervalMs`, so
 * control returns to the original bot even when the contact never writes again.
 */
export function startTransferSweeper(intervalMs = 30_000) {
  startPeriodicJob("Transfer sweep", intervalMs, () => sweepTransfers());
}
