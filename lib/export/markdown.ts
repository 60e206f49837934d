import type { ExportEntry } from "@/lib/export/entries";

// A transcript people read: one heading per conversation, then each message with its author and
// time, and each control event as an italic line. Message text is Markdown already and is kept
// as written; names and titles are escaped so they cannot restyle the page.

const ROLE_LABELS: Record<NonNullable<ExportEntry["role"]>, string> = {
  contact: "Contact",
  bot: "Bot",
  operator: "Operator",
  system: "System",
};

/** Backslash-escapes what Markdown or HTML would read as markup, on one line. */
function escapeMarkdownInline(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replace(/[\\`*_{}[\]<>|~]/g, "\\$&");
}

/** The heading of a conversation's section. */
function markdownHeading(entry: Pick<ExportEntry, "conversationTitle" | "channel" | "botName">): string {
  const about = [entry.channel, entry.botName].filter(Boolean).map(escapeMarkdownInline).join(" · ");
  return `# ${escapeMarkdownInline(entry.conversationTitle)}\n\n${about ? `${about}\n\n` : ""}`;
}

/** One entry as a Markdown block, ending in a blank line. */
function markdownEntry(entry: ExportEntry): string {
  const time = entry.time.toISOString();
  if (entry.kind === "event") return `*${time} · ${escapeMarkdownInline(entry.text)}*\n\n`;
  const role = entry.role ? ROLE_LABELS[entry.role] : "";
  const who = entry.author && entry.author !== role ? `**${escapeMarkdownInline(entry.author)}** (${role.toLowerCase()})` : `**${role}**`;
  const files = entry.fileNames.map((name, index) => `- File: ${escapeMarkdownInline(name)} (id ${entry.fileIds[index]})\n`).join("");
  return `${who} · ${time}\n\n${entry.text}\n\n${files ? `${files}\n` : ""}`;
}

/** The whole transcript, a heading before each conversation's first entry. */
export async function* markdownTranscript(entries: AsyncIterable<ExportEntry>): AsyncGenerator<string> {
  let current: string | null = null;
  for await (const entry of entries) {
    if (entry.conversationId !== current) {
      yield `${current === null ? "" : "---\n\n"}${markdownHeading(entry)}`;
      current = entry.conversationId;
    }
    yield markdownEntry(entry);
  }
}
