import "server-only";
import { prisma } from "@/lib/db";
import type { ControlEventName, ExportEntry, ExportedConversation, OrganizationExportFilter } from "@/lib/export/entries";

/**
 * A conversation's take-overs and transfers as entries, sorted by time (within the range, if
 * any). Held in memory per conversation: each one is a person's or a flow's action, a handful
 * beside the messages that are streamed. The caller has authorized the conversation.
 */
export async function listControlEvents(conversation: ExportedConversation, { from, to }: OrganizationExportFilter): Promise<ExportEntry[]> {
  const bot = { select: { bot: { select: { name: true } } } } as const;
  const [sessions, transfersOut, transfersIn] = await Promise.all([
    prisma.takeoverSession.findMany({
      where: { conversationId: conversation.id },
      select: { operatorName: true, startedAt: true, endedAt: true, endReason: true },
    }),
    prisma.transfer.findMany({
      where: { sourceConversationId: conversation.id },
      select: { startedAt: true, endedAt: true, endReason: true, target: bot },
    }),
    prisma.transfer.findMany({
      where: { targetConversationId: conversation.id },
      select: { startedAt: true, endedAt: true, endReason: true, source: bot },
    }),
  ]);
  const event = (name: ControlEventName, time: Date, author: string | null, text: string, reason: string | null = null): ExportEntry => ({
    conversationId: conversation.id,
    conversationTitle: conversation.title,
    botName: conversation.botName,
    channel: conversation.channel,
    kind: "event",
    time,
    role: null,
    author,
    text,
    event: name,
    reason,
    messageId: null,
    fileIds: [],
    fileNames: [],
  });
  const events: ExportEntry[] = [];
  for (const session of sessions) {
    events.push(event("takeover_started", session.startedAt, session.operatorName, `${session.operatorName} took over`));
    if (session.endedAt) {
      const reason = session.endReason?.toLowerCase() ?? null;
      const text = reason === "handed_back" ? `${session.operatorName} handed back to the bot` : `Control returned to the bot (${reason?.replace("_", " ")})`;
      events.push(event("takeover_ended", session.endedAt, session.operatorName, text, reason));
    }
  }
  for (const transfer of transfersOut) {
    const target = transfer.target.bot.name;
    events.push(event("transfer_started", transfer.startedAt, conversation.botName, `Transferred to ${target}`));
    if (transfer.endedAt) events.push(event("transfer_ended", transfer.endedAt, target, `Control returned from ${target}`, transfer.endReason));
  }
  for (const transfer of transfersIn) {
    const source = transfer.source.bot.name;
    events.push(event("transfer_started", transfer.startedAt, source, `Transferred here from ${source}`));
    if (transfer.endedAt) events.push(event("transfer_ended", transfer.endedAt, conversation.botName, `Control returned to ${source}`, transfer.endReason));
  }
  return events
    .filter((entry) => (!from || entry.time >= from) && (!to || entry.time < to))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
}
