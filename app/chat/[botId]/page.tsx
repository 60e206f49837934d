import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ChatWindow } from "@/components/chat/chat-window";
import { readContactId } from "@/lib/chat/contact-cookie";
import { findAnsweringBotName, findChatBot, findWebContact, listContactMessages } from "@/lib/chat/queries";
import { env } from "@/lib/env";
import { latestEventId } from "@/lib/events/subscribe";
import { idSchema } from "@/lib/http";

type Props = { params: Promise<{ botId: string }>; searchParams: Promise<{ conversation?: string | string[] }> };

async function loadBot(botId: string) {
  const parsed = idSchema.safeParse(botId);
  return parsed.success ? findChatBot(parsed.data) : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const bot = await loadBot((await params).botId);
  return { title: bot ? `Chat with ${bot.name}` : "Chat not available", robots: { index: false, follow: false } };
}

/**
 * The public web chat: a contact talks to the bot (and to an operator who takes over), in their
 * latest conversation, or in the one of theirs `?conversation=` names (another's is not found).
 */
export default async function ChatPage({ params, searchParams }: Props) {
  const bot = await loadBot((await params).botId);
  if (!bot) notFound();
  const requested = (await searchParams).conversation;
  const threadId = requested === undefined ? null : idSchema.safeParse(requested).data;
  if (threadId === undefined) notFound();
  const contactId = await readContactId(bot.id);
  const contact = contactId ? await findWebContact(bot.id, contactId) : null;
  const page = contact ? await listContactMessages(contact, threadId ?? undefined) : null;
  if (threadId && !page?.conversationId) notFound();
  const eventsAfter = page?.conversationId ? await latestEventId(page.conversationId) : null;
  // While transferred, the header names the bot answering now.
  const answeringBotName = (page?.conversationId && (await findAnsweringBotName(page.conversationId))) || bot.name;
  return (
    <ChatWindow
      botId={bot.id}
      botName={answeringBotName}
      conversationId={page?.conversationId ?? null}
      threadId={threadId}
      initialMessages={page?.messages ?? []}
      hasEarlier={page?.earlierCursor != null}
      eventsAfter={eventsAfter}
      maxUploadBytes={env.MAX_UPLOAD_BYTES}
    />
  );
}
