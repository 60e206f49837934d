import "server-only";
import { sweepTransfers } from "@/lib/transfers/mutations";

const globalForSweeper = globalThis as unknown as { switchboardTransferSweeper?: ReturnType<typeof setInterval> };

/**
 * Ends stale transfers (no contact message for TRANSFER_STALE_MINUTES) every `intervalMs`, so
 * control returns to the original bot even when the contact never writes again. Every instance
 * runs one; the conditional updates make them end each transfer once. Idempotent per process.
 */
export function startTransferSweeper(intervalMs = 30_000) {
  if (globalForSweeper.switchboardTransferSweeper) return;
  let running = false;
  const timer = setInterval(() => {
    // A slow sweep must not pile up behind itself.
    if (running) return;
    running = true;
    sweepTransfers()
      .catch((error: unknown) => console.error("Transfer sweep failed:", error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  // The sweeper alone must not keep the process alive.
  timer.unref();
  globalForSweeper.switchboardTransferSweeper = timer;
}
