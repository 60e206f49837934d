import type { SignalNotice } from "@/lib/events/notice";
import type { ConversationSignal } from "@/lib/events/types";

type SignalListener = (signal: ConversationSignal) => void;

// Per process, on globalThis like the event subscribers: Next may load this module in more than one bundle.
const globalForSignals = globalThis as unknown as { switchboardSignalListeners?: Map<string, Set<SignalListener>> };
const listeners = (globalForSignals.switchboardSignalListeners ??= new Map());

/** Hands a received signal to this process's listeners of its conversation (the transport's receiver calls it). */
export function deliverSignal({ conversationId, signal }: SignalNotice) {
  for (const listener of listeners.get(conversationId) ?? []) listener(signal);
}

/** Registers a listener of one conversation's signals; returns the function that removes it. */
export function addSignalListener(conversationId: string, listener: SignalListener): () => void {
  let set = listeners.get(conversationId);
  if (!set) listeners.set(conversationId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(conversationId) === set) listeners.delete(conversationId);
  };
}
