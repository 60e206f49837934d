import { randomUUID } from "node:crypto";
import { attachmentSelect, messageColumnsSelect, toMessageView, type MessageView } from "@/lib/conversations/message-view";
import { lockConversation } from "@/lib/conversations/lock";
import { crc32ToColumn } from "@/lib/files/crc32-tap";
import { publishConversationEvent } from "@/lib/events/publish";
import type { MessageRole, Prisma } from "@/lib/generated/prisma/client";
import { renderMessageHtml } from "@/lib/markdown/render";
import { getFileStorage } from "@/lib/storage";

/** A file that has already been written to storage under `storageKey`. */
export type StoredFile = {
  fileName: string;
  contentType: string;
  size: number;
  storageKey: string;
  /** CRC-32 of the bytes (unsigned), computed while they were stored. */
  crc32?: number;
};

export type NewMessage = {
  conversationId: string;
  role: MessageRole;
  text: string;
  /** Display name for operator messages; never an email. */
  authorName?: string | null;
  files?: StoredFile[];
};

/**
 * Appends a message inside the caller's transaction: stores it (and its files), bumps the
 * conversation's counters and announces it to live readers. Every message of every role is
 * written through here, so the live pages see all of them, and every page shows the HTML
 * rendered here once instead of rendering the text on each view.
 */
export async function appendMessage(tx: Prisma.TransactionClient, message: NewMessage): Promise<MessageView> {
  // Rendered before taking the lock, so other writers to the conversation do not wait for it.
  const html = renderMessageHtml(message.text);
  await lockConversation(tx, message.conversationId);
  const now = new Date();
  const row = await tx.message.create({
    data: {
      conversationId: message.conversationId,
      role: message.role,
      text: message.text,
      html,
      authorName: message.authorName ?? null,
      createdAt: now,
    },
    select: messageColumnsSelect,
  });
  // Not a nested create: that reads the message and its attachments back, two more statements.
  const files = message.files ?? [];
  const attachments =
    files.length === 0
      ? []
      : await tx.attachment.createManyAndReturn({
          data: files.map((file) => ({
            messageId: row.id,
            conversationId: message.conversationId,
            fileName: file.fileName,
            contentType: file.contentType,
            size: file.size,
            storageKey: file.storageKey,
            crc32: file.crc32 === undefined ? null : crc32ToColumn(file.crc32),
            createdAt: now,
          })),
          select: attachmentSelect,
        });
  await tx.conversation.update({
    where: { id: message.conversationId },
    data: { messageCount: { increment: 1 }, lastMessageAt: now },
    select: { id: true },
  });
  const view = toMessageView({ ...row, attachments });
  await publishConversationEvent(tx, message.conversationId, { type: "message", message: view });
  return view;
}

/** A storage key for a new file of a conversation (never derived from the file's name). */
export function newStorageKey(conversationId: string): string {
  return `${conversationId}/${randomUUID()}`;
}

/** Removes stored files that no message ended up holding (best effort: a leftover is harmless). */
export async function removeStoredFiles(files: StoredFile[]) {
  const storage = getFileStorage();
  await Promise.all(files.map((file) => storage.remove(file.storageKey).catch(() => {})));
}
