import type { MessageRole } from "@/lib/generated/prisma/client";

// What every export format writes: one flat record per message or control event, the same
// fields in JSON, CSV, Markdown and Parquet, in time order within each conversation.

/** Control changes, each a row of its own (the system messages of the same moment stay too). */
export type ControlEventName = "takeover_started" | "takeover_ended" | "transfer_started" | "transfer_ended";

export type ExportEntry = {
  conversationId: string;
  conversationTitle: string;
  /** Empty in a share's transcript, which names no bot. */
  botName: string;
  channel: string;
  kind: "message" | "event";
  time: Date;
  /** contact, bot, operator or system; null for events. */
  role: Lowercase<MessageRole> | null;
  /** Display name: the contact's, the bot's, the operator's; null where none is shown. */
  author: string | null;
  text: string;
  event: ControlEventName | null;
  /** Why a takeover or transfer ended (handed_back, expired, revoked, stale, given_back, …). */
  reason: string | null;
  messageId: string | null;
  fileIds: string[];
  fileNames: string[];
};

/** Which part of the organization's conversations to export. */
export type OrganizationExportFilter = {
  botId?: string;
  /** Only what happened at or after this instant. */
  from?: Date;
  /** Only what happened before this instant. */
  to?: Date;
};

/** What a conversation's entries are built from: its header as its organization sees it. */
export type ExportedConversation = { id: string; title: string; channel: string; botName: string; contactName: string };

/** The fields in the order CSV columns and Parquet columns list them. */
export const ENTRY_FIELDS = [
  "conversationId",
  "conversationTitle",
  "botName",
  "channel",
  "kind",
  "time",
  "role",
  "author",
  "text",
  "event",
  "reason",
  "messageId",
  "fileIds",
  "fileNames",
] as const satisfies readonly (keyof ExportEntry)[];

/**
 * Merges a conversation's messages (streamed, in order) with its control events (sorted by time):
 * an event comes before the first message written after it.
 */
export async function* mergeByTime(messages: AsyncIterable<ExportEntry>, events: ExportEntry[]): AsyncGenerator<ExportEntry> {
  let next = 0;
  for await (const message of messages) {
    while (next < events.length && events[next].time < message.time) yield events[next++];
    yield message;
  }
  while (next < events.length) yield events[next++];
}
