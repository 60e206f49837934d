import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createShare } from "@/lib/shares/mutations";
import { shareLinkActor } from "@/lib/testing/actors";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import {
  endOperatorSession,
  forceTakeOver,
  handBackConversation,
  requestControl,
  sendOperatorMessage,
  takeOverConversation,
} from "@/lib/takeover/mutations";

// Control is a lease that only a person's explicit action moves: the holder's hand back, an
// owner's override, or the lease ending. Asking for it, or being the next in line, moves nothing.

async function heldConversation() {
  const org = await createOrganization();
  const { conversation } = await createConversation(org.bot.id, [{ text: "Hello" }]);
  const holder = await createMember(org.organization.id, "OPERATOR", "Holly");
  const held = await takeOverConversation(holder.actor, { conversationId: conversation.id });
  return { ...org, conversation, holder, held };
}

async function controlOf(conversationId: string) {
  const [conversation, open] = await Promise.all([
    prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { controller: true } }),
    prisma.takeoverSession.findMany({ where: { conversationId, endedAt: null }, select: { id: true, operatorName: true, startedAt: true } }),
  ]);
  return { controller: conversation.controller, open };
}

/** Rows a refused override must not have written. */
async function writtenFor(conversationId: string) {
  const [messages, sessions, open, events, audit] = await Promise.all([
    prisma.message.count({ where: { conversationId } }),
    prisma.takeoverSession.count({ where: { conversationId } }),
    prisma.takeoverSession.count({ where: { conversationId, endedAt: null } }),
    prisma.conversationEvent.count({ where: { conversationId } }),
    prisma.auditEvent.count({ where: { conversationId } }),
  ]);
  return { messages, sessions, open, events, audit };
}

describe("the control lease under concurrency", () => {
  // Fifty transactions queue on one row lock: slow on a loaded machine, hence the timeout.
  it("50 take overs racing a hand back: the bot or exactly one operator who took over after the hand back", async () => {
    const { organization, conversation, holder, held } = await heldConversation();
    const operators = await Promise.all(Array.from({ length: 5 }, (_, i) => createMember(organization.id, "OPERATOR", `Racer ${i}`)));

    const handBack = handBackConversation(holder.actor, { conversationId: conversation.id, secret: held.secret });
    const takeOvers = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => takeOverConversation(operators[i % 5].actor, { conversationId: conversation.id })),
    );
    await handBack;

    const handedBack = await prisma.takeoverSession.findUniqueOrThrow({ where: { id: held.sessionId } });
    expect(handedBack.endReason).toBe("HANDED_BACK");
    const won = takeOvers.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    for (const result of takeOvers) {
      if (result.status === "rejected") expect((result.reason as AppError).code).toBe("conflict");
    }
    const { controller, open } = await controlOf(conversation.id);
    expect(won.length).toBeLessThanOrEqual(1);
    expect(open).toHaveLength(won.length);
    expect(controller).toBe(won.length === 1 ? "OPERATOR" : "BOT");
    if (won.length === 1) {
      expect(open[0].id).toBe(won[0].sessionId);
      // The winner's take over ran after the hand back committed, never queued from before it.
      expect(open[0].startedAt.getTime()).toBeGreaterThanOrEqual(handedBack.endedAt!.getTime());
    }
  }, 90_000);

  it("a request for control made while another holds it never turns into control after the hand back", async () => {
    const { organization, conversation, holder, held } = await heldConversation();
    const asker = await createMember(organization.id, "OPERATOR", "Asa");

    await Promise.all(Array.from({ length: 10 }, () => requestControl(asker.actor, { conversationId: conversation.id })));
    expect((await controlOf(conversation.id)).open.map((session) => session.operatorName)).toEqual(["Holly"]);
    await handBackConversation(holder.actor, { conversationId: conversation.id, secret: held.secret });

    expect(await controlOf(conversation.id)).toEqual({ controller: "BOT", open: [] });
  });
});

describe("requestControl", () => {
  it("shows the holder who asks, live, and moves nothing", async () => {
    const { organization, conversation, held } = await heldConversation();
    const asker = await createMember(organization.id, "OPERATOR", "Asa");
    const before = await controlOf(conversation.id);

    await requestControl(asker.actor, { conversationId: conversation.id });

    expect(await controlOf(conversation.id)).toEqual(before);
    const event = await prisma.conversationEvent.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ type: "control_request", data: { operatorName: "Asa", sessionId: held.sessionId } });
    // An anonymous link holder asks under the name they gave.
    const { share } = await createShare((await createOrganizationOwner(organization.id)).actor, { conversationId: conversation.id, settings: { mode: "TAKEOVER" } });
    await requestControl(await shareLinkActor(share), { conversationId: conversation.id, operatorName: "Dana" });
    const second = await prisma.conversationEvent.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: { id: "desc" } });
    expect(second.data).toEqual({ operatorName: "Dana", sessionId: held.sessionId });
  });

  it("refuses another organization (404), a VIEWER (403) and a conversation nobody holds (409), writing nothing", async () => {
    const { organization, conversation, holder, held } = await heldConversation();
    const stranger = await createOrganization();
    const viewer = await createMember(organization.id, "VIEWER");
    const before = await writtenFor(conversation.id);

    await expectAppError(requestControl(stranger.owner.actor, { conversationId: conversation.id }), "not_found");
    await expectAppError(requestControl(viewer.actor, { conversationId: conversation.id }), "forbidden");
    expect(await writtenFor(conversation.id)).toEqual(before);

    await handBackConversation(holder.actor, { conversationId: conversation.id, secret: held.secret });
    const afterHandBack = await writtenFor(conversation.id);
    await expectAppError(requestControl(holder.actor, { conversationId: conversation.id }), "conflict");
    expect(await writtenFor(conversation.id)).toEqual(afterHandBack);
  });
});

async function createOrganizationOwner(organizationId: string) {
  return createMember(organizationId, "OWNER", "Second Owner");
}

describe("an owner takes control back", () => {
  it("ends an operator's session: the bot answers and the operator's tab can no longer send", async () => {
    const { owner, conversation, holder, held } = await heldConversation();

    expect(await endOperatorSession(owner.actor, { conversationId: conversation.id })).toBe(true);

    expect(await controlOf(conversation.id)).toEqual({ controller: "BOT", open: [] });
    expect(await prisma.takeoverSession.findUniqueOrThrow({ where: { id: held.sessionId } })).toMatchObject({ endReason: "ENDED_BY_OWNER" });
    await expectAppError(sendOperatorMessage(holder.actor, { conversationId: conversation.id, secret: held.secret, text: "still here?" }), "forbidden");
    const ended = await prisma.auditEvent.findFirstOrThrow({ where: { conversationId: conversation.id, action: "takeover.ended" } });
    expect(ended).toMatchObject({ actorUserId: owner.userId, data: { reason: "ENDED_BY_OWNER", operatorName: "Holly" } });
    // Nothing to end: no change.
    expect(await endOperatorSession(owner.actor, { conversationId: conversation.id })).toBe(false);
  });

  it("takes over while an operator holds it, in one step", async () => {
    const { owner, conversation, holder, held } = await heldConversation();

    const taken = await forceTakeOver(owner.actor, { conversationId: conversation.id });

    const { controller, open } = await controlOf(conversation.id);
    expect(controller).toBe("OPERATOR");
    expect(open).toEqual([expect.objectContaining({ id: taken.sessionId, operatorName: owner.name })]);
    await expectAppError(sendOperatorMessage(holder.actor, { conversationId: conversation.id, secret: held.secret, text: "hello?" }), "forbidden");
    await expect(sendOperatorMessage(owner.actor, { conversationId: conversation.id, secret: taken.secret, text: "Owner here." })).resolves.toMatchObject({
      authorName: owner.name,
    });
  });

  it("refuses operators, link holders and other organizations, writing nothing", async () => {
    const { organization, owner, conversation } = await heldConversation();
    const operator = await createMember(organization.id, "OPERATOR");
    const stranger = await createOrganization();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "TAKEOVER" } });
    const before = await writtenFor(conversation.id);

    for (const override of [endOperatorSession, forceTakeOver]) {
      await expectAppError(override(operator.actor, { conversationId: conversation.id }), "forbidden");
      await expectAppError(override(await shareLinkActor(share), { conversationId: conversation.id }), "not_found");
      await expectAppError(override(stranger.owner.actor, { conversationId: conversation.id }), "not_found");
      await expectAppError(override(owner.actor, { conversationId: "no-such-conversation" }), "not_found");
    }
    expect(await writtenFor(conversation.id)).toEqual(before);
  });
});

describe("operator names", () => {
  it("asks a member for an operator name once, then uses it for the contact and History, never the account name", async () => {
    const { organization, conversation } = await createOrganization().then(async (org) => ({
      ...org,
      conversation: (await createConversation(org.bot.id, [{ text: "Hi" }])).conversation,
    }));
    const member = await createMember(organization.id, "OPERATOR", "Jordan Account-Name");
    await prisma.user.update({ where: { id: member.userId }, data: { operatorName: null } });
    const before = await writtenFor(conversation.id);

    await expectAppError(takeOverConversation(member.actor, { conversationId: conversation.id }), "bad_request");
    expect(await writtenFor(conversation.id)).toEqual(before);

    const first = await takeOverConversation(member.actor, { conversationId: conversation.id, operatorName: "Jo (Support)" });
    await handBackConversation(member.actor, { conversationId: conversation.id, secret: first.secret });
    const again = await takeOverConversation(member.actor, { conversationId: conversation.id });
    expect(again.operatorName).toBe("Jo (Support)");
    const sent = await sendOperatorMessage(member.actor, { conversationId: conversation.id, secret: again.secret, text: "Hello" });
    expect(sent.authorName).toBe("Jo (Support)");
    const names = await prisma.auditEvent.findMany({ where: { conversationId: conversation.id }, select: { actorName: true } });
    expect(new Set(names.map((row) => row.actorName))).toEqual(new Set(["Jo (Support)"]));
  });

  it("counts a take over by hand through a take-over-on-open link as its one take over on open", async () => {
    const { owner, conversation } = await createOrganization().then(async (org) => ({
      ...org,
      conversation: (await createConversation(org.bot.id, [{ text: "Hi" }])).conversation,
    }));
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "AUTO", validityHours: 24, takeOverOnOpen: true } });
    const link = await shareLinkActor(share);

    const byHand = await takeOverConversation(link, { conversationId: conversation.id, operatorName: "Dana" });
    await handBackConversation(link, { conversationId: conversation.id, secret: byHand.secret });

    // An idle tab of another operator that loads the link now must not take over by itself.
    await expectAppError(takeOverConversation(link, { conversationId: conversation.id, operatorName: "Sam", onOpen: true }), "conflict");
    expect(await controlOf(conversation.id)).toEqual({ controller: "BOT", open: [] });
  });

  it("never takes over when the owner previews their own take-over-on-open link, and leaves it for the first operator", async () => {
    const { owner, conversation } = await createOrganization().then(async (org) => ({
      ...org,
      conversation: (await createConversation(org.bot.id, [{ text: "Hi" }])).conversation,
    }));
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "AUTO", validityHours: 24, takeOverOnOpen: true } });

    await expectAppError(takeOverConversation(await shareLinkActor(share, owner.actor), { conversationId: conversation.id, onOpen: true }), "conflict");
    expect(await controlOf(conversation.id)).toEqual({ controller: "BOT", open: [] });

    const first = await takeOverConversation(await shareLinkActor(share), { conversationId: conversation.id, operatorName: "Dana", onOpen: true });
    expect(first.operatorName).toBe("Dana");
  });
});
