import "server-only";
import { startPeriodicJob } from "@/lib/jobs/periodic";
import { sweepTakeovers } from "@/lib/takeover/expiry";

/**
 * Ends due takeover sessions (expired AUTO links, revoked links, silent operators) every
 * `intervalMs`, whether or not anyone has the page open.
 */
export function startTakeoverSweeper(intervalMs = 5000) {
  startPeriodicJob("Takeover sweep", intervalMs, () => sweepTakeovers());
}
