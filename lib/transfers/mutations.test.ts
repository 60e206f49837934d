import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findContactConversation, findWebContact, listContactMessages } from "@/lib/chat/queries";
import { prisma } from "@/lib/db";
import type { Flow } from "@/lib/flows/schemas";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { sweepTransfers } from "@/lib/transfers/expiry";
import { findOpenTransferPeers } from "@/lib/transfers/queries";
import { postAsWebContact } from "@/lib/testing/actors";

const MINUTE_MS = 60_000;

type Action = Flow["rules"][number]["actions"][number];
const keyword = (words: string[], ...actions: Action[]) => ({ match: { type: "keyword" as const, keywords: words }, actions });
const fallback = (text: string) => ({ match: { type: "fallback" as const }, actions: [{ type: "send_text" as const, text }] });

/** A support bot that hands invoices to a billing bot of the same organization, which gives them back on "done". */
async function setUp(transfer: Partial<Extract<Action, { type: "transfer_control" }>> = {}) {
  const { organization, bot: support } = await createOrganization();
  const billing = await prisma.bot.create({ data: { organizationId: organization.id, name: `Billing ${randomUUID().slice(0, 6)}` } });
  await prisma.bot.update({
    where: { id: support.id },
    data: {
      flow: {
        rules: [
          keyword(["invoice"], {
            type: "transfer_control",
            targetBotId: billing.id,
            carryVariables: ["order"],
            entryText: "Billing here, {{contact_name}}. Order {{order}}?",
            ...transfer,
          }, { type: "send_text", text: "never sent after a transfer" }),
          fallback("Support here. Ended: {{transfer_ended}}"),
        ],
      } satisfies Flow,
    },
  });
  await prisma.bot.update({
    where: { id: billing.id },
    data: {
      flow: {
        rules: [
          keyword(["done"], { type: "give_back" }, { type: "send_text", text: "Nothing to give back." }),
          keyword(["transfer"], { type: "transfer_control", targetBotId: support.id }, { type: "send_text", text: "Staying with billing." }),
          fallback("Billing here. From {{transfer_from_bot}}, order {{order}}."),
        ],
      } satisfies Flow,
    },
  });
  const contact = randomUUID();
  const send = (text: string) => postAsWebContact({ botId: support.id, contactExternalId: contact, contactName: "Maria", text });
  return { organization, support: await prisma.bot.findUniqueOrThrow({ where: { id: support.id } }), billing, contact, send };
}

const said = (result: { messages: { role: string; text: string }[] }) => result.messages.map((m) => [m.role, m.text]);
const conversation = (id: string) => prisma.conversation.findUniqueOrThrow({ where: { id } });
const variablesOf = async (id: string) => (await conversation(id)).variables as Record<string, unknown>;

/** Transfers a fresh contact's conversation; returns the source and target conversation ids. */
async function transferred(setup: Awaited<ReturnType<typeof setUp>>) {
  const start = await setup.send("hello");
  await prisma.conversation.update({ where: { id: start.conversationId }, data: { variables: { order: "A-1" } } });
  const result = await setup.send("my invoice");
  return { source: start.conversationId, target: result.activeConversationId, result };
}

describe("transfer_control and give_back", () => {
  it("hands the conversation to the other bot, which answers on its own conversation until it gives control back", async () => {
    const setup = await setUp();
    const { support, billing, contact, send } = setup;
    const { source, target, result } = await transferred(setup);

    expect(target).not.toBe(source);
    expect(said(result)).toEqual([
      ["CONTACT", "my invoice"],
      ["SYSTEM", `Transferred to ${billing.name}`],
      ["SYSTEM", `Transferred from ${support.name}`],
      ["BOT", "Billing here, Maria. Order A-1?"],
    ]);
    expect(await conversation(source)).toMatchObject({ controller: "TRANSFERRED" });
    expect(await variablesOf(source)).toMatchObject({ transfer_to_bot: billing.name, order: "A-1" });
    const targetRow = await prisma.conversation.findUniqueOrThrow({ where: { id: target }, include: { contact: true } });
    expect(targetRow).toMatchObject({ botId: billing.id, controller: "BOT" });
    expect(targetRow.contact).toMatchObject({ botId: billing.id, externalId: contact, name: "Maria" });
    expect(targetRow.variables).toMatchObject({ transfer_from_bot: support.name, transfer_active: true, order: "A-1" });
    const controlEvent = await prisma.conversationEvent.findFirst({ where: { conversationId: source, type: "control" } });
    expect(controlEvent?.data).toEqual({ controller: "TRANSFERRED", operatorName: null });
    // The web chat now shows and streams the target conversation.
    expect(await findContactConversation((await findWebContact(support.id, contact))!)).toEqual({ id: target });

    const sourceCount = (await conversation(source)).messageCount;
    const opened = await prisma.transfer.findFirstOrThrow({ where: { sourceConversationId: source } });
    const whileTransferred = await send("what do I owe?");
    expect(whileTransferred).toMatchObject({ conversationId: target, activeConversationId: target });
    expect(said(whileTransferred)).toEqual([
      ["CONTACT", "what do I owe?"],
      ["BOT", `Billing here. From ${support.name}, order A-1.`],
    ]);
    expect((await conversation(source)).messageCount).toBe(sourceCount);
    const touched = await prisma.transfer.findUniqueOrThrow({ where: { id: opened.id } });
    expect(touched.lastActivityAt.getTime()).toBeGreaterThan(opened.lastActivityAt.getTime());

    // The billing bot changed a carried variable; it travels back.
    await prisma.conversation.update({ where: { id: target }, data: { variables: { ...(await variablesOf(target)), order: "B-2" } } });
    const back = await send("done, thanks");
    const returned = `Control returned to ${support.name}`;
    expect(said(back)).toEqual([
      ["CONTACT", "done, thanks"],
      ["SYSTEM", returned],
      ["SYSTEM", returned],
    ]);
    expect(back).toMatchObject({ conversationId: target, activeConversationId: source });
    expect(await prisma.transfer.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({ endReason: "given_back" });
    expect(await conversation(source)).toMatchObject({ controller: "BOT" });
    expect(await variablesOf(source)).toMatchObject({ transfer_ended: true, order: "B-2" });
    expect(await variablesOf(target)).toMatchObject({ transfer_active: false });

    const again = await send("hello again");
    expect(again.conversationId).toBe(source);
    expect(said(again)).toEqual([
      ["CONTACT", "hello again"],
      ["BOT", "Support here. Ended: true"],
    ]);
    expect(await findContactConversation((await findWebContact(support.id, contact))!)).toEqual({ id: source });
  });

  it("starts the target bot with its entry rule, which sees the carried variables and cannot transfer again", async () => {
    const setup = await setUp({ entryText: undefined, entryRule: "Welcome" });
    const billingFlow = (await prisma.bot.findUniqueOrThrow({ where: { id: setup.billing.id } })).flow as Flow;
    await prisma.bot.update({
      where: { id: setup.billing.id },
      data: {
        flow: {
          rules: [
            {
              name: "Welcome",
              match: { type: "regex", pattern: "^never typed$" },
              actions: [
                { type: "send_text", text: "Welcome to billing, {{contact_name}}. Order {{order}}." },
                { type: "transfer_control", targetBotId: setup.support.id },
                { type: "send_text", text: "Still billing." },
              ],
            },
            ...billingFlow.rules,
          ],
        } satisfies Flow,
      },
    });
    const { source, target, result } = await transferred(setup);
    expect(said(result)).toEqual([
      ["CONTACT", "my invoice"],
      ["SYSTEM", `Transferred to ${setup.billing.name}`],
      ["SYSTEM", `Transferred from ${setup.support.name}`],
      ["BOT", "Welcome to billing, Maria. Order A-1."],
      ["BOT", "Still billing."],
    ]);
    expect(await prisma.transfer.count({ where: { OR: [{ sourceConversationId: target }, { targetConversationId: source }] } })).toBe(0);

    const missing = await setUp({ entryText: undefined, entryRule: "No such rule" });
    const { target: missingTarget, result: noted } = await transferred(missing);
    expect(said(noted).at(-1)).toEqual(["SYSTEM", `Transferred from ${missing.support.name}`]);
    const problem = await prisma.auditEvent.findFirstOrThrow({ where: { conversationId: missingTarget, action: "flow.problem" } });
    expect(problem.data).toEqual({ reason: 'Entry rule "No such rule" not found on this bot.' });
  });

  it("shows the web-chat contact one thread across the transfer, following the conversation they talk in", async () => {
    const setup = await setUp();
    const { source, target } = await transferred(setup);
    await setup.send("what do I owe?");

    const during = await listContactMessages((await findWebContact(setup.support.id, setup.contact))!);
    expect(during.conversationId).toBe(target);
    expect(during.messages.map((m) => m.text)).toEqual([
      "hello",
      "Support here. Ended:",
      "my invoice",
      `Transferred to ${setup.billing.name}`,
      `Transferred from ${setup.support.name}`,
      "Billing here, Maria. Order A-1?",
      "what do I owe?",
      `Billing here. From ${setup.support.name}, order A-1.`,
    ]);
    await setup.send("done");
    const after = await listContactMessages((await findWebContact(setup.support.id, setup.contact))!);
    expect(after.conversationId).toBe(source);
    expect(after.messages.slice(-3).map((m) => m.text)).toEqual(["done", `Control returned to ${setup.support.name}`, `Control returned to ${setup.support.name}`]);
    // Another contact of the bot sees none of it.
    expect(await findWebContact(setup.support.id, "someone-else")).toBeNull();
  });

  it("names the other side of an open transfer to readers of the organization only", async () => {
    const setup = await setUp();
    const { source, target } = await transferred(setup);
    const viewer = await createMember(setup.organization.id, "VIEWER");
    const supportSide = { conversationId: source, botName: setup.support.name };
    expect(await findOpenTransferPeers(viewer.actor, source)).toEqual({
      to: { conversationId: target, botName: setup.billing.name },
      from: null,
      returnedTo: null,
    });
    expect(await findOpenTransferPeers(viewer.actor, target)).toEqual({ to: null, from: supportSide, returnedTo: null });
    const stranger = await createOrganization();
    expect(await findOpenTransferPeers(stranger.owner.actor, source)).toEqual({ to: null, from: null, returnedTo: null });
    expect(await findOpenTransferPeers(stranger.owner.actor, target)).toEqual({ to: null, from: null, returnedTo: null });
    await setup.send("done");
    expect(await findOpenTransferPeers(viewer.actor, source)).toEqual({ to: null, from: null, returnedTo: null });
    expect(await findOpenTransferPeers(viewer.actor, target)).toEqual({ to: null, from: null, returnedTo: supportSide });
    // Both sides' History tell the story.
    const actions = async (conversationId: string) =>
      (await prisma.auditEvent.findMany({ where: { conversationId }, orderBy: { createdAt: "asc" } })).map((event) => event.action);
    expect(await actions(source)).toEqual(["transfer.started", "transfer.ended"]);
    expect(await actions(target)).toEqual(["transfer.received", "transfer.ended"]);
  });

  it("ignores give_back on a conversation that was not transferred", async () => {
    const { billing } = await setUp();
    const result = await postAsWebContact({ botId: billing.id, contactExternalId: randomUUID(), text: "done" });
    expect(said(result)).toEqual([
      ["CONTACT", "done"],
      ["BOT", "Nothing to give back."],
    ]);
    expect(await prisma.transfer.count({ where: { targetConversationId: result.conversationId } })).toBe(0);
  });

  it("ignores a transfer from the bot that holds a transferred conversation", async () => {
    const setup = await setUp();
    const { source, target } = await transferred(setup);

    const nested = await setup.send("transfer me");

    expect(said(nested)).toEqual([
      ["CONTACT", "transfer me"],
      ["BOT", "Staying with billing."],
    ]);
    expect(nested.activeConversationId).toBe(target);
    expect(await conversation(target)).toMatchObject({ controller: "BOT" });
    expect(await conversation(source)).toMatchObject({ controller: "TRANSFERRED" });
    expect(await prisma.transfer.count({ where: { OR: [{ sourceConversationId: target }, { targetConversationId: source }] } })).toBe(0);
  });

  it("joins the target bot's open conversation with the same key, and starts a new one without a match", async () => {
    const setup = await setUp({ conversationKeyVariable: "ticket" });
    const { billing } = setup;
    const { conversation: existing } = await createConversation(billing.id);
    await prisma.conversation.update({ where: { id: existing.id }, data: { variables: { ticket: "T-9", note: "kept" } } });
    const { conversation: other } = await createConversation(billing.id);
    await prisma.conversation.update({ where: { id: other.id }, data: { variables: { ticket: "T-1" } } });
    const contactsBefore = await prisma.contact.count({ where: { botId: billing.id } });

    const start = await setup.send("hello");
    await prisma.conversation.update({ where: { id: start.conversationId }, data: { variables: { ticket: "T-9" } } });
    const joined = await setup.send("invoice");

    expect(joined.activeConversationId).toBe(existing.id);
    expect(await variablesOf(existing.id)).toMatchObject({ ticket: "T-9", note: "kept", transfer_active: true });
    expect(await prisma.contact.count({ where: { botId: billing.id } })).toBe(contactsBefore);

    const fresh = await setUp({ conversationKeyVariable: "ticket" });
    const freshStart = await fresh.send("hello");
    await prisma.conversation.update({ where: { id: freshStart.conversationId }, data: { variables: { ticket: "T-404" } } });
    const created = await fresh.send("invoice");
    const target = await conversation(created.activeConversationId);
    expect(target).toMatchObject({ botId: fresh.billing.id });
    expect(target.id).not.toBe(freshStart.conversationId);
  });

  it("skips a transfer to a bot of another organization, noting it in History only", async () => {
    const { bot: foreign } = await createOrganization();
    const setup = await setUp({ targetBotId: foreign.id });
    const start = await setup.send("hello");

    const result = await setup.send("invoice");

    expect(said(result)).toEqual([
      ["CONTACT", "invoice"],
      ["BOT", "never sent after a transfer"],
    ]);
    const problem = await prisma.auditEvent.findFirstOrThrow({ where: { conversationId: start.conversationId, action: "flow.problem" } });
    expect(problem).toMatchObject({ actorName: setup.support.name, data: { reason: "Transfer skipped: the bot to transfer to was not found." } });
    expect(await conversation(start.conversationId)).toMatchObject({ controller: "BOT" });
    expect(await prisma.conversation.count({ where: { botId: foreign.id } })).toBe(0);
    expect(await prisma.transfer.count({ where: { sourceConversationId: start.conversationId } })).toBe(0);
  });

  it("returns control to the original bot when the target conversation disappears", async () => {
    const setup = await setUp();
    const { source, target } = await transferred(setup);
    await prisma.conversation.delete({ where: { id: target } });

    const result = await setup.send("anyone there?");

    expect(result.conversationId).toBe(source);
    expect(said(result)).toEqual([
      ["SYSTEM", `Control returned to ${setup.support.name}: the other bot is no longer available`],
      ["CONTACT", "anyone there?"],
      ["BOT", "Support here. Ended: true"],
    ]);
  });
});

describe("stale transfers", () => {
  const later = (minutes: number) => new Date(Date.now() + minutes * MINUTE_MS);

  it("stay open while the contact writes, and close through the sweep once silent for 30 minutes", async () => {
    const setup = await setUp();
    const { source, target } = await transferred(setup);
    const thisTransfer = () => prisma.transfer.findFirstOrThrow({ where: { sourceConversationId: source } });
    await sweepTransfers(later(29));
    expect(await thisTransfer()).toMatchObject({ endedAt: null });

    await sweepTransfers(later(31));

    expect(await thisTransfer()).toMatchObject({ endReason: "stale" });
    expect(await conversation(source)).toMatchObject({ controller: "BOT" });
    expect(await variablesOf(source)).toMatchObject({ transfer_ended: true });
    expect(await variablesOf(target)).toMatchObject({ transfer_active: false });
    const inactive = `Control returned to ${setup.support.name}: the transfer was inactive`;
    for (const conversationId of [source, target]) {
      expect(await prisma.message.count({ where: { conversationId, role: "SYSTEM", text: inactive } })).toBe(1);
    }
    await sweepTransfers(later(32));
    expect(await prisma.message.count({ where: { conversationId: source, role: "SYSTEM", text: inactive } })).toBe(1);
  });

  it("close once when two sweeps run at the same time", async () => {
    const setup = await setUp();
    const { source } = await transferred(setup);

    const now = later(31);
    const ended = await Promise.all([sweepTransfers(now), sweepTransfers(now)]);

    // Each transfer that the two sweeps ended (other tests' too) was ended by exactly one of them.
    expect(ended[0] + ended[1]).toBe(await prisma.transfer.count({ where: { endedAt: now } }));
    expect(await prisma.transfer.findFirstOrThrow({ where: { sourceConversationId: source } })).toMatchObject({ endedAt: now });
    expect(await prisma.message.count({ where: { conversationId: source, role: "SYSTEM", text: { startsWith: "Control returned" } } })).toBe(1);
    expect(await prisma.conversationEvent.count({ where: { conversationId: source, type: "control" } })).toBe(2);
  });

  it("close on the contact's next message even when no sweep has run, and the original bot answers", async () => {
    const setup = await setUp();
    const { source } = await transferred(setup);
    await prisma.transfer.updateMany({ where: { sourceConversationId: source }, data: { lastActivityAt: new Date(Date.now() - 31 * MINUTE_MS) } });

    const result = await setup.send("hello?");

    expect(result).toMatchObject({ conversationId: source, activeConversationId: source });
    expect(said(result)).toEqual([
      ["CONTACT", "hello?"],
      ["BOT", "Support here. Ended: true"],
    ]);
    expect(await prisma.transfer.findFirstOrThrow({ where: { sourceConversationId: source } })).toMatchObject({ endReason: "stale" });
  });

  it("close when the web chat reads the contact's conversation", async () => {
    const setup = await setUp();
    const { source } = await transferred(setup);
    await prisma.transfer.updateMany({ where: { sourceConversationId: source }, data: { lastActivityAt: new Date(Date.now() - 31 * MINUTE_MS) } });

    expect(await findContactConversation((await findWebContact(setup.support.id, setup.contact))!)).toEqual({ id: source });
    expect(await conversation(source)).toMatchObject({ controller: "BOT" });
  });
});
