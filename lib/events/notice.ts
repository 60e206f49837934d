import type { Prisma } from "@/lib/generated/prisma/client";
import type { ConversationSignal } from "@/lib/events/types";

/** What a wake-up says: this conversation has a new event (the event itself stays in the table). */
export type EventNotice = { conversationId: string; id: string };

/** An ephemeral signal (typing): it travels whole, is never stored, and is lost if nobody listens. */
export type SignalNotice = { conversationId: string; signal: ConversationSignal };

/** What a process does with wake-ups: wake one conversation's readers, or all of them. */
export type EventReceiver = {
  onNotice: (conversationId: string) => void;
  /** An ephemeral signal arrived for a conversation (lib/events/signals.ts). */
  onSignal?: (notice: SignalNotice) => void;
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
  /** Sends an ephemeral signal now, outside any transaction: nothing is written, nothing replays it. */
  signal: (notice: SignalNotice) => Promise<void>;
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

/** A payload received on the events channel, handed to the receiver as a wake-up or a signal. */
export function receivePayload(payload: string, receiver: EventReceiver) {
  const notice = parseNotice(payload);
  if (notice) return receiver.onNotice(notice.conversationId);
  const signal = parseSignal(payload);
  if (signal) receiver.onSignal?.(signal);
}

function parseSignal(payload: string): SignalNotice | null {
  try {
    const notice = JSON.parse(payload) as Partial<SignalNotice>;
    return typeof notice.conversationId === "string" && typeof notice.signal === "object" && notice.signal !== null
      ? { conversationId: notice.conversationId, signal: notice.signal }
      : null;
  } catch {
    return null;
  }
}
