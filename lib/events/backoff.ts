/** How long to wait before reconnect attempt `attempt` (0-based). */
export type Backoff = (attempt: number) => number;

/**
 * Exponential backoff, capped, with "equal jitter" (half fixed, half random): after a database or
 * Redis restart every app instance reconnects, and the random half spreads them out instead of
 * having them all knock at the same instant, while the fixed half keeps a retry from coming at once.
 */
export function exponentialBackoff({ baseMs = 200, capMs = 30_000, random = Math.random } = {}): Backoff {
  return (attempt) => {
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };
}
