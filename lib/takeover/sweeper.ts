import "server-only";
import { sweepTakeovers } from "@/lib/takeover/mutations";

const globalForSweeper = globalThis as unknown as { switchboardTakeoverSweeper?: ReturnType<typeof setInterval> };

/**
 * Ends due takeover sessions (expired AUTO links, revoked links, silent operators) every
 * `intervalMs`, whether or not anyone has the page open. Every instance runs one; the
 * conditional updates make them end each session once. Idempotent per process.
 */
export function startTakeoverSweeper(intervalMs = 5000) {
  if (globalForSweeper.switchboardTakeoverSweeper) return;
  let running = false;
  const timer = setInterval(() => {
    // A slow sweep must not pile up behind itself.
    if (running) return;
    running = true;
    sweepTakeovers()
      .catch((error: unknown) => console.error("Takeover sweep failed:", error))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  // The sweeper alone must not keep the process alive.
  timer.unref();
  globalForSweeper.switchboardTakeoverSweeper = timer;
}
