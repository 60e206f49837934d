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
import { markConversationLocked } from "@/lib/conversations/lock";
import {
  answerWithFlow,
  FLOW_CONVERSATION_COLUMNS,
  readFlowConversation,
  toFlowConversation,
  type FlowConversation,
  type FlowConversationRow,
} from "@/lib/flows/execute";
import { requestHumanUnchecked } from "@/lib/inbox/needs-human";
import { setConversationVariables, type FlowVariables } from "@/lib/flows/variables";
import { Prisma, type ContactKind } from "@/lib/generated/prisma/client";
import { appendMessage, newStorageKey, removeStoredFiles, type StoredFile } from "@/lib/messages/append";
import { getFileStorage } from "@/lib/storage";
import { releaseDisconnectedUnchecked, staleTransferWhere, touchTransferUnchecked } from "@/lib/transfers/end-transfer";
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

type ContactKey = { botId: string; kind: ContactKind; externalId: string };

/** The contact's conversation as a message needs it, read with its row lock. */
type LockedConversation = { contactName: string; conversation: FlowConversation };

/**
 * The contact's conversation with the bot (`conversationId`: that one, theirs only; else their
 * latest), locked for the rest of the transaction by the statement that reads it; null when there
 * is none. The lock makes the contact's messages on it take turns.
 */
async function lockContactConversation(
  tx: Prisma.TransactionClient,
  { botId, kind, externalId, conversationId }: ContactKey & { conversationId?: string },
): Promise<LockedConversation | null> {
  const [row] = await tx.$queryRaw<(FlowConversationRow & { contactName: string })[]>`
    SELECT ${FLOW_CONVERSATION_COLUMNS}, ct."name" AS "contactName"
    FROM "Conversation" c
    JOIN "Contact" ct ON ct."id" = c."contactId"
    JOIN "Bot" b ON b."id" = c."botId"
    WHERE ct."botId" = ${botId} AND ct."kind" = ${kind}::"ContactKind" AND ct."externalId" = ${externalId} AND c."botId" = ${botId}
      ${conversationId ? Prisma.sql`AND c."id" = ${conversationId}` : Prisma.empty}
    ORDER BY c."lastMessageAt" DESC, c."id" DESC
    LIMIT 1
    FOR UPDATE OF c`;
  if (!row) return null;
  markConversationLocked(tx, row.id);
  return { contactName: row.contactName, conversation: toFlowConversation(row) };
}

/**
 * The contact, created on their first message, and locked for the rest of the transaction.
 * Concurrent first messages of a new contact all get the one row: the insert does nothing on the
 * unique key (an upsert raced on it and failed with 409), and the row lock makes the contact's
 * messages take turns, so the conversation find-or-create after it cannot race either. A row this
 * transaction inserted needs no lock: the others' inserts wait for its commit.
 */
async function findOrCreateContact(tx: Prisma.TransactionClient, { name, ...key }: ContactKey & { name: string }): Promise<{ id: string; created: boolean }> {
  const [inserted] = await tx.contact.createManyAndReturn({ data: [{ ...key, name }], skipDuplicates: true, select: { id: true } });
  if (inserted) return { id: inserted.id, created: true };
  const [contact] = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Contact"
    WHERE "botId" = ${key.botId} AND "kind" = ${key.kind}::"ContactKind" AND "externalId" = ${key.externalId}
    FOR UPDATE`;
  return { id: contact.id, created: false };
}

/**
 * The contact's conversation, locked (lockContactConversation), created with the contact on their
 * first message. `likelyExists` (it did just before the transaction) tries the common case first:
 * one statement. Otherwise the contact's row lock decides who creates the conversation.
 */
async function lockOrCreateConversation(
  tx: Prisma.TransactionClient,
  args: ContactKey & { conversationId?: string; likelyExists: boolean; contactName: string; newConversationId: string; title: string; channel: string },
): Promise<LockedConversation> {
  const { botId, kind, externalId, conversationId, contactName, newConversationId, title, channel } = args;
  const key = { botId, kind, externalId };
  const existing = args.likelyExists ? await lockContactConversation(tx, { ...key, conversationId }) : null;
  if (existing) return existing;
  const contact = await findOrCreateContact(tx, { ...key, name: contactName });
  const found = contact.created ? null : await lockContactConversation(tx, { ...key, conversationId });
  if (found) return found;
  if (conversationId) throw new AppError("not_found", "Conversation not found.");
  await tx.conversation.create({ data: { id: newConversationId, botId, contactId: contact.id, title, channel }, select: { id: true } });
  const created = await lockContactConversation(tx, { ...key, conversationId: newConversationId });
  if (!created) throw new Error(`Conversation ${newConversationId} vanished in its own transaction.`);
  return created;
}

/**
 * Whether the bot exists. Its own token has just been read with it (authenticateRequest), and a
 * bot's tokens go with it: looking again would read the bot twice.
 */
async function botExists(actor: Actor, botId: string): Promise<boolean> {
  if (actor.kind === "bot_token" && actor.botId === botId) return true;
  return (await prisma.bot.count({ where: { id: botId } })) > 0;
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
  if (!writer || !(await botExists(actor, botId))) throw new AppError("not_found", "Bot not found.");
  // The web chat's contacts and the channel API's never share a row, even with the same id.
  const { kind: contactKind, externalId: contactExternalId } = await writerIdentity(botId, writer);
  const conversationChannel = contactKind === "WEB" ? "web" : channel;

  // Files are written before the transaction (storage is not transactional), under the id of the
  // conversation they will most likely join; keys only need to be unique, so a race that picks
  // another conversation inside the transaction is harmless.
  const now = new Date();
  const stale = { where: staleTransferWhere(now) };
  const existing = await prisma.conversation.findFirst({
    where: { botId, contact: { botId, kind: contactKind, externalId: contactExternalId }, ...(requestedConversationId ? { id: requestedConversationId } : {}) },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    // Counted in the same statement: the common case has none, and settles nothing.
    select: { id: true, _count: { select: { transfersOut: stale, transfersIn: stale } } },
  });
  // A transfer that went stale closes first, so its original bot answers this message.
  if (existing && existing._count.transfersOut + existing._count.transfersIn > 0) await settleTransfers(existing.id, now);
  const newConversationId = randomUUID();
  const { all: storedFiles, written } = await storeFiles(existing?.id ?? newConversationId, files);

  try {
    return await prisma.$transaction(async (tx) => {
      // Where the message goes is decided under the contact's conversation lock: a transfer that
      // starts or ends meanwhile is seen here.
      const locked = await lockOrCreateConversation(tx, {
        botId,
        kind: contactKind,
        externalId: contactExternalId,
        conversationId: requestedConversationId,
        likelyExists: existing !== null,
        contactName,
        newConversationId,
        title: titleFor(text, files),
        channel: conversationChannel,
      });
      const contactConversationId = locked.conversation.id;
      const messages: MessageView[] = [];
      let transfer: { id: string; targetConversationId: string } | null = null;
      // What the flow reads of the conversation the message goes to, as the lock read it; null when
      // that is another conversation or a change below makes the flow read it again.
      let flowConversation: FlowConversation | null = locked.conversation;
      // Only a TRANSFERRED conversation has an open transfer away (both change under its lock) or
      // a disconnected one, so the common case looks for neither.
      if (locked.conversation.controller === "TRANSFERRED") {
        const disconnected = await releaseDisconnectedUnchecked(tx, contactConversationId);
        if (disconnected) messages.push(disconnected);
        transfer = await findOpenTransferFrom(tx, contactConversationId);
        if (transfer) await touchTransferUnchecked(tx, transfer.id);
        flowConversation = null;
      }
      const conversationId = transfer?.targetConversationId ?? contactConversationId;
      messages.push(await appendMessage(tx, { conversationId, role: "CONTACT", text, files: storedFiles }));
      if (variables) {
        const all = await setConversationVariables(tx, conversationId, variables);
        if (flowConversation) flowConversation = { ...flowConversation, variables: all };
      }
      if (needsHuman) await requestHumanUnchecked(tx, conversationId, { requestedBy: { type: "contact", name: locked.contactName } });

      // A conversation the flow reads here is read under its lock, taken by appendMessage: a
      // takeover that commits meanwhile is seen, so the bot never answers over an operator.
      const answer = await answerWithFlow(tx, {
        conversation: flowConversation ?? (await readFlowConversation(tx, conversationId)),
        text,
        contactName: locked.contactName,
      });
      messages.push(...answer.messages);
      const active = answer.transferChanged ? await findOpenTransferFrom(tx, contactConversationId) : transfer;
      return { conversationId, activeConversationId: active?.targetConversationId ?? contactConversationId, contactExternalId, messages };
    });
  } catch (error) {
    // Files the caller stored are the caller's to remove.
    await removeStoredFiles(written);
    throw error;
  }
}
