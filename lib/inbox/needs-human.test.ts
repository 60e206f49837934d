import { describe, expect, it } from "vitest";
import { postChannelMessage } from "@/lib/channels/mutations";
import type { UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { Flow } from "@/lib/flows/schemas";
import { listInbox } from "@/lib/inbox/queries";
import { takeOverConversation } from "@/lib/takeover/mutations";
import { botTokenActor, operatorOf, postAsChannel, postAsWebContact } from "@/lib/testing/actors";
import { expectAppError } from "@/lib/testing/assertions";
import { createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";

// "Needs a person": set by the flow action request_human and by the channel API's needsHuman,
// shown in the inbox, cleared when an operator takes over.

const FLOW: Flow = {
  rules: [
    {
      name: "Ask for a person",
      match: { type: "keyword", keywords: ["agent"] },
      actions: [
        { type: "send_text", text: "I'll ask a colleague to join." },
        { type: "request_human", note: "{{contact_name}} wants a person" },
      ],
    },
    {
      name: "Ask with a link",
      match: { type: "keyword", keywords: ["urgent"] },
      actions: [{ type: "request_human", createLink: { validityHours: 2, autoHandBack: true } }, { type: "send_text", text: "Link made." }],
    },
    { name: "Else", match: { type: "fallback" }, actions: [{ type: "send_text", text: "Noted." }] },
  ],
};

async function botWithFlow() {
  const org = await createOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
  return org;
}

const waiting = (conversationId: string) =>
  prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { needsHumanAt: true, needsHumanNote: true } });

async function stateInInbox(org: { owner: { actor: UserActor } }, conversationId: string) {
  const row = (await listInbox(org.owner.actor)).find((item) => item.id === conversationId);
  return row && { state: row.state, note: row.needsHumanNote, operatorName: row.operatorName };
}

describe("request_human", () => {
  it("puts a web chat contact's conversation under Needs a person with the note, once per wait, and a take over clears it", async () => {
    const org = await botWithFlow();
    const { conversationId, messages } = await postAsWebContact({ botId: org.bot.id, contactExternalId: "web-1", contactName: "Sam", text: "I want an agent" });

    expect(messages.map((message) => message.text)).toEqual(["I want an agent", "I'll ask a colleague to join."]);
    expect(await stateInInbox(org, conversationId)).toEqual({ state: "needs_human", note: "Sam wants a person", operatorName: null });
    // Asking again while waiting is the same wait: History records it once.
    await postAsWebContact({ botId: org.bot.id, contactExternalId: "web-1", text: "agent please" });
    expect(await prisma.auditEvent.count({ where: { conversationId, action: "conversation.needs_human" } })).toBe(1);
    // The contact never sees the note.
    expect(await prisma.message.count({ where: { conversationId, text: { contains: "wants a person" } } })).toBe(0);

    await takeOverConversation(await operatorOf(conversationId), { conversationId, operatorName: "Dana" });

    expect(await waiting(conversationId)).toEqual({ needsHumanAt: null, needsHumanNote: null });
    expect(await stateInInbox(org, conversationId)).toEqual({ state: "operator", note: null, operatorName: "Dana" });
  });

  it("makes a takeover link for the team when asked to, and still asks", async () => {
    const org = await botWithFlow();
    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", text: "urgent!" });

    expect((await waiting(conversationId)).needsHumanAt).toBeInstanceOf(Date);
    const shares = await prisma.share.findMany({ where: { conversationId }, select: { mode: true, validityHours: true } });
    expect(shares).toEqual([{ mode: "AUTO", validityHours: 2 }]);
  });

  it("leaves a conversation an operator holds alone", async () => {
    const org = await botWithFlow();
    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-2", text: "hello" });
    await takeOverConversation(await operatorOf(conversationId), { conversationId });

    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-2", text: "agent" }, { needsHuman: true });

    expect((await waiting(conversationId)).needsHumanAt).toBeNull();
  });
});

describe("the channel API's needsHuman", () => {
  it("sets Needs a person without any flow, and a take over clears it", async () => {
    const org = await createOrganization();
    const bot = await botTokenActor(org.bot.id);
    const { conversationId } = await postChannelMessage(bot, org.bot.id, { contact: { externalId: "+4915100000001" }, text: "Button: talk to a person", needsHuman: true });

    expect(await stateInInbox(org, conversationId)).toEqual({ state: "needs_human", note: null, operatorName: null });
    const [audit] = await prisma.auditEvent.findMany({ where: { conversationId, action: "conversation.needs_human" } });
    expect(audit).toMatchObject({ actorType: "contact" });

    await takeOverConversation(org.owner.actor, { conversationId });
    expect(await stateInInbox(org, conversationId)).toMatchObject({ state: "operator" });
  });

  it("refuses a needsHuman that is not a boolean, writing nothing", async () => {
    const org = await createOrganization();
    const bot = await botTokenActor(org.bot.id);
    const before = await organizationRowCounts([org.organization.id]);
    const body = { contact: { externalId: "c-3" }, text: "hi", needsHuman: "yes" } as unknown as Parameters<typeof postChannelMessage>[2];

    await expectAppError(postChannelMessage(bot, org.bot.id, body), "bad_request");

    expect(await organizationRowCounts([org.organization.id])).toEqual(before);
  });

  it("lets no other bot's token set it: not found, nothing written", async () => {
    const org = await createOrganization();
    const otherBot = await botTokenActor((await createOrganization()).bot.id);
    const before = await organizationRowCounts([org.organization.id]);

    await expectAppError(
      postChannelMessage(otherBot, org.bot.id, { contact: { externalId: "c-4" }, text: "hi", needsHuman: true }),
      "not_found",
    );

    expect(await organizationRowCounts([org.organization.id])).toEqual(before);
  });
});
