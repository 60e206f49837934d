/**
 * Peak memory of a piece of work, for tests that prove a stream is never buffered whole. Only
 * tests import this file.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
export const collectGarbage = runInNewContext("gc") as () => void;

/**
 * Samples the process's RSS every few milliseconds while `run` runs and returns the largest growth
 * over the start, garbage included (V8 frees a spent Buffer only at its next collection, so some
 * MiB of chunks already passed on still count). Garbage is collected once before the start, so
 * the baseline is what the process really holds.
 */
export async function peakRssGrowth<T>(run: () => Promise<T>, intervalMs = 5): Promise<{ result: T; growth: number }> {
  collectGarbage();
  const start = process.memoryUsage.rss();
  let peak = start;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await run();
    sample();
    return { result, growth: peak - start };
  } finally {
    clearInterval(timer);
  }
}
