import "server-only";
import { randomUUID } from "node:crypto";
import { ANONYMOUS, type Actor, type ContactActor, type ShareLinkActor } from "@/lib/auth/actor";
import { contactWriterFor } from "@/lib/chat/policy";
import { DEFAULT_CONTACT_NAME } from "@/lib/chat/schemas";
import { messageScope, scopedConversation } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { newStorageKey, removeStoredFiles, type StoredFile } from "@/lib/messages/append";
import { activeShareWhere } from "@/lib/shares/status";
import { getFileStorage } from "@/lib/storage";

// "Continue this conversation" (PRODUCT.md §3): a share's viewer gets a conversation of their own
// with the bot, starting from a copy of what the link shows. The copy belongs to the viewer's
// web-chat contact, never to the original contact, and holds only the messages (role, text, HTML,
// author name, time) and their files: no variables, no control state, no transfers, no events.

/** What a viewer continues in: their conversation with the bot, and whether this call made it. */
export type Continuation = {
  conversationId: string;
  botId: string;
  /** The id for the viewer's web-chat cookie when they had no contact yet (a new WEB contact). */
  newContactExternalId: string | null;
  created: boolean;
};

/** A long conversation's copy (thousands of messages) may take longer than Prisma's default 5 s. */
const COPY_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 60_000 };

const notAvailable = () => new AppError("not_found", "This link is not available.");

/** A shared message with its files, copied in the order it was written. */
type SourceMessage = Prisma.MessageGetPayload<{ select: typeof sourceMessageSelect }>;

const sourceMessageSelect = {
  role: true, text: true, html: true, authorName: true, createdAt: true,
  attachments: {
    select: { fileName: true, contentType: true, size: true, storageKey: true, createdAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  },
} as const satisfies Prisma.MessageSelect;

/** Exactly the messages the link shows (a partial link: its chosen ones), oldest first. */
function readSharedMessages(actor: ShareLinkActor): Promise<SourceMessage[]> {
  return prisma.message.findMany({
    where: { conversationId: actor.conversationId, conversation: scopedConversation(actor, actor.conversationId, "read"), ...messageScope(actor) },
    orderBy: { seq: "asc" },
    select: sourceMessageSelect,
  });
}

type CopiedFile = StoredFile & { createdAt: Date };

/**
 * Copies the messages' files under the fork's keys, so the fork keeps its files whatever happens
 * to the original's (it may be deleted, or its files removed). A file whose bytes are already gone
 * is not copied. On failure removes what it wrote.
 */
async function copyFiles(messages: SourceMessage[], forkId: string): Promise<CopiedFile[][]> {
  const storage = getFileStorage();
  const written: CopiedFile[] = [];
  try {
    const perMessage: CopiedFile[][] = [];
    for (const message of messages) {
      const files: CopiedFile[] = [];
      for (const attachment of message.attachments) {
        const source = await storage.open(attachment.storageKey);
        if (!source) continue;
        const storageKey = newStorageKey(forkId);
        const { size } = await storage.write(storageKey, source.stream);
        const copy = { fileName: attachment.fileName, contentType: attachment.contentType, size, storageKey, createdAt: attachment.createdAt };
        written.push(copy);
        files.push(copy);
      }
      perMessage.push(files);
    }
    return perMessage;
  } catch (error) {
    await removeStoredFiles(written);
    throw error;
  }
}

function findFork(db: Prisma.TransactionClient, shareId: string, contactId: string) {
  return db.conversation.findUnique({ where: { forkedFromShareId_contactId: { forkedFromShareId: shareId, contactId } }, select: { id: true } });
}

/**
 * The viewer holding this link continues the conversation in the bot's web chat, as their web
 * contact (`contact`, from their signed cookie; null: a new web contact the server names). Only
 * through a link that is active and allows continuation, into the link's own bot (`botId`, whose
 * web chat the viewer goes on in); anything else is "not available" and writes nothing.
 *
 * One fork per link and contact: a second call (or a concurrent one) returns the first, and only
 * a new fork counts in the link's continuationCount. The original conversation is only read.
 */
export async function continueSharedConversation(actor: Actor, { botId, contact }: { botId: string; contact: ContactActor | null }): Promise<Continuation> {
  if (actor.kind !== "share_link") throw notAvailable();
  const share = await prisma.share.findFirst({
    where: { id: actor.shareId, conversationId: actor.conversationId, allowContinuation: true, ...activeShareWhere() },
    select: { customTitle: true, conversation: { select: { botId: true, title: true } } },
  });
  const writer = contactWriterFor(contact ?? ANONYMOUS, botId);
  if (!share || share.conversation.botId !== botId || writer?.kind !== "WEB") throw notAvailable();
  if (contact) {
    const existing = await findFork(prisma, actor.shareId, contact.contactId);
    if (existing) return { conversationId: existing.id, botId, newContactExternalId: null, created: false };
  }

  const messages = await readSharedMessages(actor);
  const forkId = randomUUID();
  // Storage is not transactional: the bytes are copied first and removed again if no fork is made.
  const files = await copyFiles(messages, forkId);
  let result: Continuation | null = null;
  try {
    result = await prisma.$transaction(async (tx) => {
      const contactId =
        writer.contactId ??
        (await tx.contact.create({ data: { botId, kind: "WEB", externalId: writer.externalId, name: DEFAULT_CONTACT_NAME }, select: { id: true } })).id;
      const now = new Date();
      // Concurrent continues by one contact meet on the unique (link, contact) key: one inserts,
      // the others wait for it to commit and then insert nothing.
      const { count } = await tx.conversation.createMany({
        data: [
          {
            id: forkId,
            botId,
            contactId,
            title: share.customTitle ?? share.conversation.title,
            channel: "web",
            messageCount: messages.length,
            // The newest of the contact's conversations: their web chat opens it.
            lastMessageAt: now,
            forkedFromShareId: actor.shareId,
            forkedFromConversationId: actor.conversationId,
          },
        ],
        skipDuplicates: true,
      });
      if (count === 0) {
        const existing = await findFork(tx, actor.shareId, contactId);
        return { conversationId: existing!.id, botId, newContactExternalId: null, created: false };
      }
      // Counted only while the link still allows it: a revoke that commits first undoes the fork.
      const counted = await tx.share.updateMany({
        where: { id: actor.shareId, allowContinuation: true, ...activeShareWhere(now) },
        data: { continuationCount: { increment: 1 } },
      });
      if (counted.count === 0) throw notAvailable();
      await copyMessages(tx, forkId, messages, files);
      return { conversationId: forkId, botId, newContactExternalId: writer.externalId ?? null, created: true };
    }, COPY_TRANSACTION_OPTIONS);
    return result;
  } finally {
    if (!result?.created) await removeStoredFiles(files.flat());
  }
}

/** Inserts the copies in the original order (seq follows insertion order), each with its files. */
async function copyMessages(tx: Prisma.TransactionClient, forkId: string, messages: SourceMessage[], files: CopiedFile[][]) {
  const ids = messages.map(() => randomUUID());
  await tx.message.createMany({
    data: messages.map((message, index) => ({
      id: ids[index],
      conversationId: forkId,
      role: message.role,
      text: message.text,
      html: message.html,
      authorName: message.authorName,
      createdAt: message.createdAt,
    })),
  });
  await tx.attachment.createMany({
    data: files.flatMap((copies, index) =>
      copies.map((file) => ({
        messageId: ids[index],
        conversationId: forkId,
        fileName: file.fileName,
        contentType: file.contentType,
        size: file.size,
        storageKey: file.storageKey,
        createdAt: file.createdAt,
      })),
    ),
  });
}
