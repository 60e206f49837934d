import "server-only";
import type { FlowActor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import type { MessageView } from "@/lib/conversations/message-view";
import { lockConversation } from "@/lib/conversations/lock";
import { authorizeConversation } from "@/lib/conversations/policy";
import { publishConversationEvent } from "@/lib/events/publish";
import { recordFlowProblem } from "@/lib/flows/problems";
import { renderTemplate } from "@/lib/flows/run";
import type { TransferControlAction } from "@/lib/flows/schemas";
import { pickVariables, readVariables, setConversationVariables } from "@/lib/flows/variables";
import type { ContactKind, Prisma } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";
import { CARRY_VARIABLES, endTransferUnchecked } from "@/lib/transfers/end-transfer";

// A flow's transfer_control and give_back (PRODUCT.md §6), run by the flow of the conversation's
// bot inside the transaction of the contact's message. How a transfer ends is in end-transfer.ts.

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
  source: { title: string; channel: string; variables: Record<string, unknown>; contact: { kind: ContactKind; externalId: string; name: string } },
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
    where: { botId_kind_externalId: { botId: targetBotId, kind: source.contact.kind, externalId: source.contact.externalId } },
    create: { botId: targetBotId, kind: source.contact.kind, externalId: source.contact.externalId, name: source.contact.name },
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
  flow: FlowActor,
  { action, contactName, now = new Date() }: {
    action: TransferControlAction;
    contactName: string;
    now?: Date;
  },
): Promise<TransferStart> {
  const sourceConversationId = (await authorizeConversation(tx, flow, flow.conversationId, "write")).id;
  await lockConversation(tx, sourceConversationId);
  const source = await tx.conversation.findUniqueOrThrow({
    where: { id: sourceConversationId },
    select: {
      title: true,
      channel: true,
      controller: true,
      variables: true,
      bot: { select: { id: true, name: true, organizationId: true } },
      contact: { select: { kind: true, externalId: true, name: true } },
    },
  });
  if (source.controller !== "BOT" || (await isOpenTransferTarget(tx, sourceConversationId))) {
    return { status: "ignored", messages: [] };
  }
  // Only a bot of the flow's own organization; any other id is "not found".
  const targetBot = await tx.bot.findFirst({
    where: { id: action.targetBotId, organizationId: flow.organizationId },
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
  if (entry) messages.push(await appendMessage(tx, { conversationId: targetConversationId, role: "BOT", text: entry, authorName: targetBot.name }));

  // Both conversations' History tell it: each page is read on its own.
  for (const [conversationId, action] of [
    [sourceConversationId, "transfer.started"],
    [targetConversationId, "transfer.received"],
  ] as const) {
    await recordAuditEvent(tx, {
      organizationId: source.bot.organizationId,
      conversationId,
      actor: auditActorOf(flow),
      action,
      data: { transferId: transfer.id, sourceConversationId, targetConversationId, targetBot: targetBot.name },
    });
  }
  return { status: "transferred", targetConversationId, messages };
}

/**
 * A flow's give_back, inside the caller's transaction: ends the open transfers that brought this
 * conversation to its bot. Null (nothing changes) when the conversation was not transferred here.
 */
export async function giveBackTransfers(tx: Prisma.TransactionClient, flow: FlowActor, now = new Date()): Promise<MessageView[] | null> {
  const targetConversationId = (await authorizeConversation(tx, flow, flow.conversationId, "write")).id;
  const open = await tx.transfer.findMany({
    where: { targetConversationId, endedAt: null },
    orderBy: { startedAt: "asc" },
    select: { id: true },
  });
  if (open.length === 0) return null;
  const messages: MessageView[] = [];
  for (const transfer of open) messages.push(...((await endTransferUnchecked(tx, flow, transfer.id, "given_back", now)) ?? []));
  return messages;
}

