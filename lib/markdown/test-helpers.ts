// Helpers for the renderer's tests.

/** How deep elements nest in `html` (void elements do not count). */
export function maxElementDepth(html: string): number {
  let depth = 0;
  let deepest = 0;
  for (const [, closing, tag] of html.matchAll(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi)) {
    if (tag === "br" || tag === "hr") continue;
    depth += closing ? -1 : 1;
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/**
 * The CPU time `fn` takes, in milliseconds. CPU time rather than wall time: tests share a few
 * cores with other work, and waiting for a core is not the renderer being slow.
 */
export function cpuTimed<T>(fn: () => T): { result: T; ms: number } {
  const start = process.cpuUsage();
  const result = fn();
  const used = process.cpuUsage(start);
  return { result, ms: (used.user + used.system) / 1000 };
}
