import type { Controller } from "@/lib/generated/prisma/enums";
import type { MessageView } from "@/lib/conversations/message-view";

/**
 * What live pages receive. Every field here may be shown to anyone who can read the
 * conversation, including anonymous viewers of a full share: no user ids, emails or variables.
 */
export type ConversationEventData =
  | { type: "message"; message: MessageView }
  | {
      type: "control";
      controller: Controller;
      operatorName: string | null;
      /** The session now holding the conversation (an opaque id, no secret): a tab whose session it is not stops sending. */
      sessionId?: string | null;
    }
  /** Another operator asks the holder of session `sessionId` for control; nothing has moved. */
  | { type: "control_request"; operatorName: string; sessionId: string }
  /** The contact's web chat has shown them every message up to this one (read state; never moves back). */
  | { type: "read"; messageId: string };

/**
 * Ephemeral and never stored (lib/events/signals.ts): one party of a live chat is typing. Only the
 * other party's stream receives it, never a share page's reader. `name`: the operator's display
 * name; null for the contact.
 */
export type ConversationSignal = { type: "typing"; from: "contact" | "operator"; typing: boolean; name: string | null };

/** An event as it travels over SSE; `id` is the SSE event id used to resume. */
export type ConversationEvent = ConversationEventData & { id: string; conversationId: string };

/** The NOTIFY channel every instance listens on. */
export const EVENTS_CHANNEL = "switchboard_events";
