import "server-only";
import { prisma } from "@/lib/db";
import { eventsReceiving } from "@/lib/events/subscribe";
import { isDraining } from "@/lib/health/draining";
import { getFileStorage } from "@/lib/storage";

/** One dependency's answer: only ok or failed leaves the server, never an error message or address. */
export type DependencyState = "ok" | "failed";

export type Readiness =
  | { status: "ready" | "unavailable"; checks: { database: DependencyState; storage: DependencyState; events: DependencyState } }
  | { status: "draining" };

// A balancer probes every second or so; a dependency that takes longer than this is as good as down.
const CHECK_TIMEOUT_MS = 2_000;

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("timed out")), timeoutMs);
  });
  try {
    await Promise.race([check(), timedOut]);
    return "ok";
  } catch {
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether this instance should receive traffic: not while it shuts down, and only when the
 * database answers `SELECT 1`, the file storage answers a ping and live-event wake-ups are being
 * received (LISTEN or Redis). The three run in parallel, each bounded by `timeoutMs`.
 */
export async function checkReadiness({ timeoutMs = CHECK_TIMEOUT_MS } = {}): Promise<Readiness> {
  if (isDraining()) return { status: "draining" };
  const [database, storage, events] = await Promise.all([
    probe(() => prisma.$queryRaw`SELECT 1`, timeoutMs),
    probe(() => getFileStorage().ping(), timeoutMs),
    probe(() => eventsReceiving(), timeoutMs),
  ]);
  // Draining may have started while the checks ran; the balancer must hear it at once.
  if (isDraining()) return { status: "draining" };
  const ready = database === "ok" && storage === "ok" && events === "ok";
  return { status: ready ? "ready" : "unavailable", checks: { database, storage, events } };
}
