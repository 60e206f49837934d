import "server-only";
import { recordAuditEvent, type AuditActor } from "@/lib/audit/record";
import type { MessageView } from "@/lib/conversations/message-view";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { lockConversation } from "@/lib/conversations/lock";
import { publishConversationEvent } from "@/lib/events/publish";
import { recordFlowProblem } from "@/lib/flows/problems";
import { renderTemplate } from "@/lib/flows/run";
import type { TransferControlAction } from "@/lib/flows/schemas";
import { pickVariables, readVariables, setConversationVariables } from "@/lib/flows/variables";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";

// A transfer hands a conversation (the source) from its bot to another bot of the same
// organization, on a conversation of that bot (the target), until the target gives control back
// or the transfer goes stale (PRODUCT.md §6). While it is open, the contact's messages are stored
// on the target and answered by the target's bot; the source only records the hand-over.

/** Why a transfer ended (Transfer.endReason). */
export type TransferEndReason = "given_back" | "stale";

/**
 * The source variable that remembers which variables the transfer carried, so they are carried
 * back when it ends (a Transfer row has no room for them). Removed when the transfer ends.
 */
export const CARRY_VARIABLES = "transfer_carry_variables";

const SYSTEM_ACTOR: AuditActor = { type: "system", name: "Switchboard" };

// Like takeovers: control changes of a conversation queue on its row lock.
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };

/** A transfer whose contact stays silent this long (TRANSFER_STALE_MINUTES, default 30) closes. */
function staleCutoff(now: Date): Date {
  const minutes = env.TRANSFER_STALE_MINUTES;
  return new Date(now.getTime() - minutes * 60_000);
}

const staleTransferWhere = (now: Date, conversationId?: string): Prisma.TransferWhereInput => ({
  endedAt: null,
  lastActivityAt: { lt: staleCutoff(now) },
  ...(conversationId ? { OR: [{ sourceConversationId: conversationId }, { targetConversationId: conversationId }] } : {}),
});

/** The open transfer that took this conversation away from its bot, or null. */
export function findOpenTransferFrom(tx: Prisma.TransactionClient, sourceConversationId: string) {
  return tx.transfer.findFirst({
    where: { sourceConversationId, endedAt: null },
    orderBy: { startedAt: "desc" },
    select: { id: true, targetConversationId: true },
  });
}

async function isOpenTransferTarget(tx: Prisma.TransactionClient, conversationId: string): Promise<boolean> {
  return (await tx.transfer.count({ where: { targetConversationId: conversationId, endedAt: null } })) > 0;
}

/** Notes a flow's transfer that could not run in the conversation's History, for its owner to see. */
const skipTransfer = async (tx: Prisma.TransactionClient, conversationId: string, reason: string): Promise<TransferStart> => {
  await recordFlowProblem(tx, conversationId, `Transfer skipped: ${reason}`);
  return { status: "skipped", messages: [] };
};

const isKeyValue = (value: unknown): value is string | number | boolean =>
  (typeof value === "string" && value !== "") || typeof value === "number" || typeof value === "boolean";

/**
 * The target bot's conversation for a transfer: with a conversation key, the target bot's open
 * (not itself transferred away) conversation whose key variable has the source's value; else a
 * new conversation with the same contact (by their channel id) on the target bot.
 */
async function findOrCreateTargetConversation(
  tx: Prisma.TransactionClient,
  source: { title: string; channel: string; variables: Record<string, unknown>; contact: { externalId: string; name: string } },
  targetBotId: string,
  keyVariable: string | undefined,
): Promise<string> {
  const key = keyVariable ? source.variables[keyVariable] : undefined;
  if (keyVariable && isKeyValue(key)) {
    const joined = await tx.conversation.findFirst({
      where: { botId: targetBotId, controller: { not: "TRANSFERRED" }, variables: { path: [keyVariable], equals: key } },
      orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    if (joined) return joined.id;
  }
  const contact = await tx.contact.upsert({
    where: { botId_externalId: { botId: targetBotId, externalId: source.contact.externalId } },
    create: { botId: targetBotId, externalId: source.contact.externalId, name: source.contact.name },
    update: {},
    select: { id: true },
  });
  const created = await tx.conversation.create({
    data: { botId: targetBotId, contactId: contact.id, title: source.title, channel: source.channel },
    select: { id: true },
  });
  return created.id;
}

export type TransferStart =
  | { status: "transferred"; targetConversationId: string; messages: MessageView[] }
  /** Nothing changed: a bot that holds a transferred conversation cannot pass it on. */
  | { status: "ignored"; messages: [] }
  /** Nothing changed but a note in the conversation's History saying why. */
  | { status: "skipped"; messages: [] };

/**
 * A flow's transfer_control, inside the caller's transaction (which holds the source's lock):
 * hands the conversation to another bot of the same organization. The source's controller
 * becomes TRANSFERRED, both conversations get a system line and the variables of PRODUCT.md §6,
 * and the target bot may greet the contact with the action's entry text.
 */
export async function startTransfer(
  tx: Prisma.TransactionClient,
  { sourceConversationId, action, contactName, now = new Date() }: {
    sourceConversationId: string;
    action: TransferControlAction;
    contactName: string;
    now?: Date;
  },
): Promise<TransferStart> {
  await lockConversation(tx, sourceConversationId);
  const source = await tx.conversation.findUniqueOrThrow({
    where: { id: sourceConversationId },
    select: {
      title: true,
      channel: true,
      controller: true,
      variables: true,
      bot: { select: { id: true, name: true, organizationId: true } },
      contact: { select: { externalId: true, name: true } },
    },
  });
  if (source.controller !== "BOT" || (await isOpenTransferTarget(tx, sourceConversationId))) {
    return { status: "ignored", messages: [] };
  }
  const targetBot = await tx.bot.findFirst({
    where: { id: action.targetBotId, organizationId: source.bot.organizationId },
    select: { id: true, name: true },
  });
  if (!targetBot) return skipTransfer(tx, sourceConversationId, "the bot to transfer to was not found.");
  if (targetBot.id === source.bot.id) return skipTransfer(tx, sourceConversationId, "a bot cannot transfer to itself.");

  const sourceVariables = readVariables(source.variables);
  const targetConversationId = await findOrCreateTargetConversation(
    tx,
    { ...source, variables: sourceVariables },
    targetBot.id,
    action.conversationKeyVariable,
  );
  await lockConversation(tx, targetConversationId);
  await tx.conversation.update({ where: { id: sourceConversationId }, data: { controller: "TRANSFERRED" } });
  const transfer = await tx.transfer.create({
    data: { sourceConversationId, targetConversationId, startedAt: now, lastActivityAt: now },
    select: { id: true },
  });

  const carry = [...new Set(action.carryVariables ?? [])];
  await setConversationVariables(tx, sourceConversationId, {
    transfer_to_bot: targetBot.name,
    transfer_ended: false,
    [CARRY_VARIABLES]: carry,
  });
  const targetVariables = await setConversationVariables(tx, targetConversationId, {
    ...pickVariables(sourceVariables, carry),
    transfer_from_bot: source.bot.name,
    transfer_active: true,
  });

  const messages = [
    await appendMessage(tx, { conversationId: sourceConversationId, role: "SYSTEM", text: `Transferred to ${targetBot.name}` }),
  ];
  await publishConversationEvent(tx, sourceConversationId, { type: "control", controller: "TRANSFERRED", operatorName: null });
  messages.push(
    await appendMessage(tx, { conversationId: targetConversationId, role: "SYSTEM", text: `Transferred from ${source.bot.name}` }),
  );
  const entry = action.entryText ? renderTemplate(action.entryText, { ...targetVariables, contact_name: contactName }).trim() : "";
  if (entry) messages.push(await appendMessage(tx, { conversationId: targetConversationId, role: "BOT", text: entry }));

  // Both conversations' History tell it: each page is read on its own.
  for (const [conversationId, action] of [
    [sourceConversationId, "transfer.started"],
    [targetConversationId, "transfer.received"],
  ] as const) {
    await recordAuditEvent(tx, {
      organizationId: source.bot.organizationId,
      conversationId,
      actor: { type: "bot", name: source.bot.name },
      action,
      data: { transferId: transfer.id, sourceConversationId, targetConversationId, targetBot: targetBot.name },
    });
  }
  return { status: "transferred", targetConversationId, messages };
}

/** The "stale" condition, re-checked under the lock so a contact's late message wins. */
function stillDueWhere(reason: TransferEndReason, now: Date): Prisma.TransferWhereInput {
  return reason === "stale" ? { lastActivityAt: { lt: staleCutoff(now) } } : {};
}

/**
 * Ends one transfer and returns control to the source's bot: carries the carried variables back,
 * sets `transfer_ended` on the source and `transfer_active` false on the target, writes a system
 * line on both and a control event on the source. Conditional on the transfer still being open
 * (and, when stale, still silent), so concurrent callers end it exactly once; returns the system
 * lines it wrote, or null when another caller ended it first.
 */
export async function endTransfer(
  tx: Prisma.TransactionClient,
  transferId: string,
  reason: TransferEndReason,
  now = new Date(),
): Promise<MessageView[] | null> {
  const transfer = await tx.transfer.findUnique({
    where: { id: transferId },
    select: {
      sourceConversationId: true,
      targetConversationId: true,
      source: { select: { bot: { select: { name: true, organizationId: true } } } },
      target: { select: { bot: { select: { name: true } } } },
    },
  });
  if (!transfer) return null;
  const { sourceConversationId, targetConversationId } = transfer;
  // Source first, then target: the order the contact's messages take, so the two never deadlock.
  await lockConversation(tx, sourceConversationId);
  await lockConversation(tx, targetConversationId);
  const { count } = await tx.transfer.updateMany({
    where: { id: transferId, endedAt: null, ...stillDueWhere(reason, now) },
    data: { endedAt: now, endReason: reason },
  });
  if (count === 0) return null;

  const [source, target] = await Promise.all(
    [sourceConversationId, targetConversationId].map((id) =>
      tx.conversation.findUniqueOrThrow({ where: { id }, select: { variables: true } }).then((row) => readVariables(row.variables)),
    ),
  );
  const carried = source[CARRY_VARIABLES];
  const carry = Array.isArray(carried) ? carried.filter((name): name is string => typeof name === "string") : [];
  await setConversationVariables(tx, sourceConversationId, {
    ...pickVariables(target, carry),
    transfer_ended: true,
    [CARRY_VARIABLES]: undefined,
  });
  await setConversationVariables(tx, targetConversationId, { transfer_active: false });
  await tx.conversation.updateMany({ where: { id: sourceConversationId, controller: "TRANSFERRED" }, data: { controller: "BOT" } });

  const sourceBot = transfer.source.bot.name;
  const text = reason === "stale" ? `Control returned to ${sourceBot}: the transfer was inactive` : `Control returned to ${sourceBot}`;
  const messages = [
    await appendMessage(tx, { conversationId: targetConversationId, role: "SYSTEM", text }),
    await appendMessage(tx, { conversationId: sourceConversationId, role: "SYSTEM", text }),
  ];
  await publishConversationEvent(tx, sourceConversationId, { type: "control", controller: "BOT", operatorName: null });
  for (const conversationId of [sourceConversationId, targetConversationId]) {
    await recordAuditEvent(tx, {
      organizationId: transfer.source.bot.organizationId,
      conversationId,
      actor: reason === "given_back" ? { type: "bot", name: transfer.target.bot.name } : SYSTEM_ACTOR,
      action: "transfer.ended",
      data: { transferId, sourceConversationId, targetConversationId, reason },
    });
  }
  return messages;
}

/**
 * A flow's give_back, inside the caller's transaction: ends the open transfers that brought this
 * conversation to its bot. Null (nothing changes) when the conversation was not transferred here.
 */
export async function giveBackTransfers(
  tx: Prisma.TransactionClient,
  targetConversationId: string,
  now = new Date(),
): Promise<MessageView[] | null> {
  const open = await tx.transfer.findMany({
    where: { targetConversationId, endedAt: null },
    orderBy: { startedAt: "asc" },
    select: { id: true },
  });
  if (open.length === 0) return null;
  const messages: MessageView[] = [];
  for (const transfer of open) messages.push(...((await endTransfer(tx, transfer.id, "given_back", now)) ?? []));
  return messages;
}

/**
 * Returns a conversation to its bot when it is marked TRANSFERRED but no open transfer is left
 * (the target conversation or bot was deleted with its transfers): a "disconnected" transfer
 * closes by itself. Returns the system line it wrote, or null when nothing was wrong.
 */
export async function releaseDisconnected(tx: Prisma.TransactionClient, conversationId: string): Promise<MessageView | null> {
  await lockConversation(tx, conversationId);
  const { count } = await tx.conversation.updateMany({
    where: { id: conversationId, controller: "TRANSFERRED", transfersOut: { none: { endedAt: null } } },
    data: { controller: "BOT" },
  });
  if (count === 0) return null;
  await setConversationVariables(tx, conversationId, { transfer_ended: true, [CARRY_VARIABLES]: undefined });
  const bot = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { bot: { select: { name: true } } } });
  const message = await appendMessage(tx, {
    conversationId,
    role: "SYSTEM",
    text: `Control returned to ${bot.bot.name}: the other bot is no longer available`,
  });
  await publishConversationEvent(tx, conversationId, { type: "control", controller: "BOT", operatorName: null });
  return message;
}

/** Marks that the contact wrote while transferred: an active transfer does not go stale. */
export async function touchTransfer(tx: Prisma.TransactionClient, transferId: string, now = new Date()) {
  await tx.transfer.update({ where: { id: transferId }, data: { lastActivityAt: now } });
}

/** Ends every stale transfer (the periodic sweep). Returns how many this call ended. */
export async function sweepTransfers(now = new Date()): Promise<number> {
  const due = await prisma.transfer.findMany({ where: staleTransferWhere(now), select: { id: true } });
  let ended = 0;
  const failures: unknown[] = [];
  // One transaction per transfer: a failure on one conversation must not hold back the others.
  for (const transfer of due) {
    try {
      const messages = await prisma.$transaction((tx) => endTransfer(tx, transfer.id, "stale", now), TRANSACTION_OPTIONS);
      if (messages) ended += 1;
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `Ending ${failures.length} transfer(s) failed.`);
  return ended;
}

/**
 * The lazy check run before a conversation is used: ends its stale transfers (as source or
 * target), so the contact is answered by the right bot even when no sweeper has run.
 */
export async function settleTransfers(conversationId: string, now = new Date()): Promise<void> {
  // The common case finds nothing: look before taking any lock.
  const due = await prisma.transfer.findMany({ where: staleTransferWhere(now, conversationId), select: { id: true } });
  for (const transfer of due) {
    await prisma.$transaction((tx) => endTransfer(tx, transfer.id, "stale", now), TRANSACTION_OPTIONS);
  }
}
