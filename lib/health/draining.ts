/**
 * The process-wide "this instance is going away" signal. Once raised it stays raised: readiness
 * answers 503 so a balancer stops sending traffic, and every open live-event stream ends with a
 * reconnect hint so its browser resumes on another instance. Kept on globalThis because Next may
 * load this module in more than one bundle of the same process.
 */
type DrainingState = { draining: boolean; listeners: Set<() => void> };

const globalForDraining = globalThis as unknown as { switchboardDraining?: DrainingState };
const state = (globalForDraining.switchboardDraining ??= { draining: false, listeners: new Set() });

export function isDraining(): boolean {
  return state.draining;
}

/** Raises the signal (once) and tells every subscriber. */
export function startDraining() {
  if (state.draining) return;
  state.draining = true;
  for (const listener of [...state.listeners]) listener();
  state.listeners.clear();
}

/** Calls `listener` when draining starts, at once if it already has; returns a function that unsubscribes. */
export function onDraining(listener: () => void): () => void {
  if (state.draining) {
    listener();
    return () => {};
  }
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** Lowers the signal again; only tests need this (a real process never stops draining). */
export function resetDrainingForTests() {
  state.draining = false;
  state.listeners.clear();
}
