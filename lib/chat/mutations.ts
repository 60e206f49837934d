import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { contactWriterFor, type ContactWriter } from "@/lib/chat/policy";
import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { MessageView } from "@/lib/conversations/message-view";
import { contactMessageSchema, type ContactMessageInput } from "@/lib/chat/schemas";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { crc32Tap } from "@/lib/files/crc32-tap";
import { lockConversation } from "@/lib/conversations/lock";
import { answerWithFlow } from "@/lib/flows/execute";
import { requestHumanUnchecked } from "@/lib/inbox/needs-human";
import { setConversationVariables, type FlowVariables } from "@/lib/flows/variables";
import type { ContactKind, Prisma } from "@/lib/generated/prisma/client";
import { appendMessage, newStorageKey, removeStoredFiles, type StoredFile } from "@/lib/messages/append";
import { getFileStorage } from "@/lib/storage";
import { releaseDisconnectedUnchecked, touchTransferUnchecked } from "@/lib/transfers/end-transfer";
import { settleTransfers } from "@/lib/transfers/expiry";
import { findOpenTransferFrom } from "@/lib/transfers/queries";
import { parseOrThrow } from "@/lib/validation";

const TITLE_LENGTH = 60;
const MAX_FILE_NAME = 255;

type IncomingFile = File | StoredFile;

const fileNameOf = (file: IncomingFile) => (file instanceof File ? file.name : file.fileName);

function titleFor(text: string, files: IncomingFile[]): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.slice(0, TITLE_LENGTH) || (files[0] && fileNameOf(files[0]).slice(0, TITLE_LENGTH)) || "New conversation";
}

function assertFilesAcceptable(files: IncomingFile[]) {
  for (const file of files) {
    if (file.size > env.MAX_UPLOAD_BYTES) {
      const limit = Math.round(env.MAX_UPLOAD_BYTES / (1024 * 1024));
      throw new AppError("payload_too_large", `${fileNameOf(file)} is larger than ${limit} MB.`);
    }
    if (fileNameOf(file).length > MAX_FILE_NAME) {
      throw new AppError("bad_request", `File names must be at most ${MAX_FILE_NAME} characters.`, {
        files: [`File names must be at most ${MAX_FILE_NAME} characters.`],
      });
    }
  }
}

/**
 * Writes the files to storage (files already stored pass through); on failure removes what it
 * wrote, so nothing is left behind. Returns every file and the ones it wrote.
 */
async function storeFiles(conversationId: string, files: IncomingFile[]): Promise<{ all: StoredFile[]; written: StoredFile[] }> {
  const storage = getFileStorage();
  const all: StoredFile[] = [];
  const stored: StoredFile[] = [];
  try {
    for (const file of files) {
      if (!(file instanceof File)) {
        all.push(file);
        continue;
      }
      const storageKey = newStorageKey(conversationId);
      const checksum = crc32Tap();
      const source = Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>);
      source.once("error", (error) => checksum.stream.destroy(error));
      const body = source.pipe(checksum.stream);
      const { size } = await storage.write(storageKey, body);
      stored.push({
        fileName: file.name || "file",
        contentType: file.type || "application/octet-stream",
        size,
        storageKey,
        crc32: checksum.crc32(),
      });
      all.push(stored[stored.length - 1]);
    }
    return { all, written: stored };
  } catch (error) {
    await removeStoredFiles(stored);
    throw error;
  }
}

/**
 * The contact, created on their first message, and locked for the rest of the transaction.
 * Concurrent first messages of a new contact all get the one row: the insert does nothing on the
 * unique key (an upsert raced on it and failed with 409), and the row lock makes the contact's
 * messages take turns, so the conversation find-or-create after it cannot race either.
 */
async function findOrCreateContact(
  tx: Prisma.TransactionClient,
  { botId, kind, externalId, name }: { botId: string; kind: ContactKind; externalId: string; name: string },
): Promise<{ id: string; name: string }> {
  await tx.contact.createMany({ data: [{ botId, kind, externalId, name }], skipDuplicates: true });
  const [contact] = await tx.$queryRaw<{ id: string; name: string }[]>`
    SELECT "id", "name" FROM "Contact"
    WHERE "botId" = ${botId} AND "kind" = ${kind}::"ContactKind" AND "externalId" = ${externalId}
    FOR UPDATE`;
  return contact;
}

/**
 * The contact's conversation with the bot the caller asked for (`conversationId`: theirs only, or
 * "not found"), else their latest, or a new one on the contact's channel.
 */
async function findOrCreateConversation(
  tx: Prisma.TransactionClient,
  {
    botId,
    contactId,
    conversationId,
    newConversationId,
    title,
    channel,
  }: { botId: string; contactId: string; conversationId?: string; newConversationId: string; title: string; channel: string },
) {
  if (conversationId) {
    const own = await tx.conversation.findFirst({ where: { id: conversationId, botId, contactId }, select: { id: true } });
    if (!own) throw new AppError("not_found", "Conversation not found.");
    return own.id;
  }
  const latest = await tx.conversation.findFirst({
    where: { botId, contactId },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  if (latest) return latest.id;
  const created = await tx.conversation.create({
    data: { id: newConversationId, botId, contactId, title, channel },
    select: { id: true },
  });
  return created.id;
}

/** The writer's contact kind and channel id: a web contact by its row, the others as given. */
async function writerIdentity(botId: string, writer: ContactWriter): Promise<{ kind: ContactKind; externalId: string }> {
  if (writer.externalId !== undefined) return { kind: writer.kind, externalId: writer.externalId };
  const contact = await prisma.contact.findFirst({ where: { id: writer.contactId, botId, kind: "WEB" }, select: { externalId: true } });
  if (!contact) throw new AppError("not_found", "Bot not found.");
  return { kind: "WEB", externalId: contact.externalId };
}

/**
 * A contact writes to a bot (PRODUCT.md §1), through the web chat or the channel API
 * (lib/channels), as lib/chat/policy.ts allows the actor (its own bot's channel contacts for a
 * bot token, themselves for a web contact, a new web contact for anyone else). In one
 * transaction: finds or creates the contact
 * and their conversation, stores the message, and, only while the bot is in control, runs the
 * bot's flow and stores its replies. Returns the contact's message followed by the replies.
 *
 * While the contact's conversation is transferred to another bot (PRODUCT.md §6), the message is
 * stored on the target bot's conversation and that bot answers there; the source gets nothing.
 * `conversationId` is where the message was stored, `activeConversationId` where the contact's
 * next message will go (they differ when this message started or ended a transfer), and
 * `messages` everything written for the contact, on either conversation, in order.
 */
export async function postContactMessage(
  actor: Actor,
  input: ContactMessageInput,
  /**
   * Conversation variables to set before the bot answers, from a trusted caller (the channel
   * API with its bot token; never the web chat, whose contact could otherwise steer the flow).
   */
  { variables, needsHuman = false }: { variables?: FlowVariables; /** The channel says the contact asked for a person. */ needsHuman?: boolean } = {},
): Promise<{ conversationId: string; activeConversationId: string; contactExternalId: string; messages: MessageView[] }> {
  const { botId, conversationId: requestedConversationId, contactExternalId: channelExternalId, contactName, text, files, channel } = parseOrThrow(
    contactMessageSchema,
    input,
  );
  assertFilesAcceptable(files);
  const writer = contactWriterFor(actor, botId, channelExternalId);
  const bot = writer ? await prisma.bot.findUnique({ where: { id: botId }, select: { id: true } }) : null;
  if (!writer || !bot) throw new AppError("not_found", "Bot not found.");
  // The web chat's contacts and the channel API's never share a row, even with the same id.
  const { kind: contactKind, externalId: contactExternalId } = await writerIdentity(botId, writer);
  const conversationChannel = contactKind === "WEB" ? "web" : channel;

  // Files are written before the transaction (storage is not transactional), under the id of the
  // conversation they will most likely join; keys only need to be unique, so a race that picks
  // another conversation inside the transaction is harmless.
  const existing = await prisma.conversation.findFirst({
    where: { botId, contact: { botId, kind: contactKind, externalId: contactExternalId }, ...(requestedConversationId ? { id: requestedConversationId } : {}) },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  // A transfer that went stale closes first, so its original bot answers this message.
  if (existing) await settleTransfers(existing.id);
  const newConversationId = randomUUID();
  const { all: storedFiles, written } = await storeFiles(existing?.id ?? newConversationId, files);

  try {
    return await prisma.$transaction(async (tx) => {
      const contact = await findOrCreateContact(tx, { botId, kind: contactKind, externalId: contactExternalId, name: contactName });
      const contactConversationId = await findOrCreateConversation(tx, {
        botId,
        contactId: contact.id,
        conversationId: requestedConversationId,
        newConversationId,
        title: titleFor(text, files),
        channel: conversationChannel,
      });
      // Decide where the message goes under the contact's conversation lock: a transfer that
      // starts or ends meanwhile is seen here.
      await lockConversation(tx, contactConversationId);
      const messages: MessageView[] = [];
      const disconnected = await releaseDisconnectedUnchecked(tx, contactConversationId);
      if (disconnected) messages.push(disconnected);
      const transfer = await findOpenTransferFrom(tx, contactConversationId);
      if (transfer) await touchTransferUnchecked(tx, transfer.id);
      const conversationId = transfer?.targetConversationId ?? contactConversationId;
      messages.push(await appendMessage(tx, { conversationId, role: "CONTACT", text, files: storedFiles }));
      if (variables) await setConversationVariables(tx, conversationId, variables);
      if (needsHuman) await requestHumanUnchecked(tx, conversationId, { requestedBy: { type: "contact", name: contact.name } });

      // The flow reads the controller after appendMessage has locked the row: a takeover that
      // commits meanwhile is seen there, so the bot never answers over an operator.
      messages.push(...(await answerWithFlow(tx, { conversationId, text, contactName: contact.name })));
      const active = await findOpenTransferFrom(tx, contactConversationId);
      return { conversationId, activeConversationId: active?.targetConversationId ?? contactConversationId, contactExternalId, messages };
    });
  } catch (error) {
    // Files the caller stored are the caller's to remove.
    await removeStoredFiles(written);
    throw error;
  }
}
