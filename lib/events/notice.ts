import type { Prisma } from "@/lib/generated/prisma/client";

/** What a wake-up says: this conversation has a new event (the event itself stays in the table). */
export type EventNotice = { conversationId: string; id: string };

/** What a process does with wake-ups: wake one conversation's readers, or all of them. */
export type EventReceiver = {
  onNotice: (conversationId: string) => void;
  /** Signals may have been lost (the connection was down): every reader should reread. */
  onResync: () => void;
};

/**
 * How app instances tell each other that a conversation has new events. Only the wake-up travels;
 * readers always read the events table, so a transport may lose or repeat signals without losing
 * or repeating events.
 */
export type EventTransport = {
  /** Announces an event from inside its writing transaction; it must reach readers only if that commits. */
  announce: (tx: Prisma.TransactionClient, notice: EventNotice) => Promise<void>;
  /** Starts receiving wake-ups; resolves once receiving, to a function that stops. */
  receive: (receiver: EventReceiver) => Promise<() => Promise<void>>;
};

export function parseNotice(payload: string): EventNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<EventNotice>;
    return typeof notice.conversationId === "string" && typeof notice.id === "string"
      ? { conversationId: notice.conversationId, id: notice.id }
      : null;
  } catch {
    return null;
  }
}
