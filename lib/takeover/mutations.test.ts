import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ShareMode } from "@/lib/generated/prisma/client";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { settleConversation, sweepTakeovers } from "@/lib/takeover/expiry";
import { handBackConversation, sendOperatorMessage, takeOverConversation } from "@/lib/takeover/mutations";
import { operatorOf, shareLinkActor } from "@/lib/testing/actors";
import { findActiveSession, getControlState, listControlHistory } from "@/lib/takeover/queries";
import { expectAppError } from "@/lib/testing/assertions";

const MINUTE_MS = 60 * 1000;
const SYSTEM = systemActor("test");

/** An organization whose owner has one conversation with two messages. */
async function ownerWithConversation() {
  const org = await createOrganization();
  const { conversation } = await createConversation(org.bot.id, [{ text: "Hello" }, { text: "Hi, how can I help?" }]);
  return { ...org, conversation };
}

async function messagesOf(conversationId: string) {
  return prisma.message.findMany({
    where: { conversationId },
    orderBy: { seq: "asc" },
    select: { role: true, text: true, authorName: true },
  });
}

async function controllerOf(conversationId: string) {
  const row = await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { controller: true } });
  return row.controller;
}

/** Everything a takeover mutation writes for this conversation. */
async function writtenFor(conversationId: string) {
  const [messages, sessions, openSessions, auditEvents, events, controller] = await Promise.all([
    prisma.message.count({ where: { conversationId } }),
    prisma.takeoverSession.count({ where: { conversationId } }),
    prisma.takeoverSession.count({ where: { conversationId, endedAt: null } }),
    prisma.auditEvent.count({ where: { conversationId } }),
    prisma.conversationEvent.count({ where: { conversationId } }),
    controllerOf(conversationId),
  ]);
  return { messages, sessions, openSessions, auditEvents, events, controller };
}

/** A conversation taken over through a share link of the given mode by an anonymous visitor. */
async function takenOverThroughShare(mode: ShareMode, validityHours: number | null = 24) {
  const org = await ownerWithConversation();
  const { share } = await createShare(org.owner.actor, {
    conversationId: org.conversation.id,
    settings: { mode, validityHours },
  });
  const taken = await takeOverConversation(await shareLinkActor(share), { conversationId: org.conversation.id, operatorName: "Dana" });
  return { ...org, share, ...taken };
}

async function expireShare(shareId: string) {
  await prisma.share.update({ where: { id: shareId }, data: { expiresAt: new Date(Date.now() - MINUTE_MS) } });
}

async function sessionOf(sessionId: string) {
  return prisma.takeoverSession.findUniqueOrThrow({ where: { id: sessionId } });
}

describe("takeOverConversation", () => {
  it("lets exactly one of 50 simultaneous operators win; the others are told who holds it", async () => {
    const { organization, conversation } = await ownerWithConversation();
    const operators = await Promise.all(
      Array.from({ length: 5 }, (_, index) => createMember(organization.id, "OPERATOR", `Operator ${index}`)),
    );

    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => {
        const operator = operators[index % operators.length];
        return takeOverConversation(operator.actor, { conversationId: conversation.id });
      }),
    );

    const fulfilled = results.filter((result) => result.status === "fulfilled");
    const rejected = results.filter((result) => result.status === "rejected");
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(49);
    const session = await sessionOf(fulfilled[0].value.sessionId);
    for (const result of rejected) {
      expect(result.reason).toBeInstanceOf(AppError);
      expect((result.reason as AppError).code).toBe("conflict");
      expect((result.reason as AppError).message).toBe(`Taken over by ${session.operatorName}`);
    }
    expect(await prisma.takeoverSession.count({ where: { conversationId: conversation.id, endedAt: null } })).toBe(1);
    expect(await prisma.takeoverSession.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await controllerOf(conversation.id)).toBe("OPERATOR");
    expect(await prisma.message.count({ where: { conversationId: conversation.id, text: "An operator joined the conversation" } })).toBe(1);
    expect(await getControlState(SYSTEM, conversation.id)).toEqual({
      controller: "OPERATOR",
      operatorName: session.operatorName,
      sessionId: session.id,
    });
  });

  it("stores only the secret's hash and records who took over, through which share", async () => {
    const { organization, conversation, share, sessionId, secret } = await takenOverThroughShare("TAKEOVER");

    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const session = await sessionOf(sessionId);
    expect(session.tokenHash).not.toContain(secret);
    expect(session).toMatchObject({ shareId: share.id, operatorName: "Dana", operatorUserId: null, endedAt: null });
    expect(await findActiveSession(conversation.id, secret)).toEqual({ id: sessionId, operatorName: "Dana" });
    expect(await findActiveSession(conversation.id, "not-the-secret")).toBeNull();

    const [started] = await prisma.auditEvent.findMany({ where: { conversationId: conversation.id, action: "takeover.started" } });
    expect(started).toMatchObject({
      organizationId: organization.id,
      shareId: share.id,
      actorType: "share",
      actorUserId: null,
      actorName: "Dana",
      data: { sessionId },
    });
    const control = await prisma.conversationEvent.findFirst({
      where: { conversationId: conversation.id, type: "control" },
      orderBy: { id: "desc" },
    });
    expect(control?.data).toEqual({ controller: "OPERATOR", operatorName: "Dana", sessionId });
  });

  it("refuses a transferred conversation and a missing one, writing nothing", async () => {
    const { conversation } = await ownerWithConversation();
    await prisma.conversation.update({ where: { id: conversation.id }, data: { controller: "TRANSFERRED" } });
    const before = await writtenFor(conversation.id);

    const error = await expectAppError(
      takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Dana" }),
      "conflict",
    );
    expect(error.message).toBe("The conversation is transferred to another bot");
    await expectAppError(
      takeOverConversation(await operatorOf("no-such-conversation"), { conversationId: "no-such-conversation", operatorName: "Dana" }),
      "not_found",
    );
    expect(await writtenFor(conversation.id)).toEqual(before);
  });

  it("refuses a revoked link and a blank operator name", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "TAKEOVER" } });
    await revokeShare(owner.actor, { shareId: share.id });
    const before = await writtenFor(conversation.id);

    await expectAppError(
      takeOverConversation(await shareLinkActor(share), { conversationId: conversation.id, operatorName: "Dana" }),
      "not_found",
    );
    await expectAppError(
      takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "   " }),
      "bad_request",
    );
    expect(await writtenFor(conversation.id)).toEqual(before);
  });
});

describe("operating a conversation", () => {
  it("takes over, sends and hands back, with the messages in order and the trail recorded", async () => {
    const { organization, conversation } = await ownerWithConversation();
    const operator = await createMember(organization.id, "OPERATOR", "Olivia");

    const { sessionId, secret } = await takeOverConversation(operator.actor, { conversationId: conversation.id });
    const sent = await sendOperatorMessage(operator.actor, { conversationId: conversation.id, secret, text: "  I can help with that.  " });
    expect(sent).toMatchObject({ role: "OPERATOR", text: "I can help with that.", authorName: "Olivia" });
    await handBackConversation(operator.actor, { conversationId: conversation.id, secret });

    expect(await controllerOf(conversation.id)).toBe("BOT");
    expect(await getControlState(SYSTEM, conversation.id)).toEqual({ controller: "BOT", operatorName: null, sessionId: null });
    expect(await messagesOf(conversation.id)).toEqual([
      { role: "CONTACT", text: "Hello", authorName: null },
      { role: "BOT", text: "Hi, how can I help?", authorName: null },
      { role: "SYSTEM", text: "An operator joined the conversation", authorName: null },
      { role: "OPERATOR", text: "I can help with that.", authorName: "Olivia" },
      { role: "SYSTEM", text: "Control returned to the bot", authorName: null },
    ]);
    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "HANDED_BACK", endedAt: expect.any(Date) });
    expect(await findActiveSession(conversation.id, secret)).toBeNull();

    const history = await listControlHistory(await operatorOf(conversation.id), conversation.id);
    expect(history.map(({ action, actorName, reason }) => ({ action, actorName, reason }))).toEqual([
      { action: "takeover.ended", actorName: "Olivia", reason: "HANDED_BACK" },
      { action: "takeover.started", actorName: "Olivia", reason: null },
    ]);
    const [ended] = await prisma.auditEvent.findMany({ where: { conversationId: conversation.id, action: "takeover.ended" } });
    expect(ended).toMatchObject({ actorType: "user", actorUserId: operator.userId });
    const controls = await prisma.conversationEvent.findMany({
      where: { conversationId: conversation.id, type: "control" },
      orderBy: { id: "asc" },
    });
    expect(controls.map((event) => event.data)).toEqual([
      { controller: "OPERATOR", operatorName: "Olivia", sessionId },
      { controller: "BOT", operatorName: null, sessionId: null },
    ]);

    // The bot holds it again, so someone else may take over.
    await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Sam" });
    expect(await getControlState(SYSTEM, conversation.id)).toMatchObject({ controller: "OPERATOR", operatorName: "Sam" });
  });

  it("refuses a second operator's secret and an ended session's secret, writing nothing", async () => {
    const { conversation: other } = await ownerWithConversation();
    const { conversation } = await ownerWithConversation();
    const first = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "First" });
    await handBackConversation(await operatorOf(conversation.id), { conversationId: conversation.id, secret: first.secret });
    const holder = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Holder" });
    // A secret that is valid, but for another conversation.
    const elsewhere = await takeOverConversation(await operatorOf(other.id), { conversationId: other.id, operatorName: "Elsewhere" });
    const before = await writtenFor(conversation.id);

    for (const secret of [first.secret, elsewhere.secret, "made-up-secret", ""]) {
      const sendError = await expectAppError(
        sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Let me in" }),
        "forbidden",
      );
      expect(sendError.message).toBe("Your takeover session has ended.");
      await expectAppError(handBackConversation(await operatorOf(conversation.id), { conversationId: conversation.id, secret }), "forbidden");
    }

    expect(await writtenFor(conversation.id)).toEqual(before);
    expect(await getControlState(SYSTEM, conversation.id)).toMatchObject({ controller: "OPERATOR", operatorName: "Holder" });
    expect(await findActiveSession(conversation.id, holder.secret)).not.toBeNull();
  });

  it("rejects an empty or overlong operator message, writing nothing", async () => {
    const { conversation } = await ownerWithConversation();
    const { secret, sessionId } = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Dana" });
    const before = await writtenFor(conversation.id);
    const activity = (await sessionOf(sessionId)).lastActivityAt;

    await expectAppError(sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "   " }), "bad_request");
    await expectAppError(sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "x".repeat(4001) }), "bad_request");

    expect(await writtenFor(conversation.id)).toEqual(before);
    expect((await sessionOf(sessionId)).lastActivityAt).toEqual(activity);
    await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "x".repeat(4000) });
  });
});

describe("time-based and owner-caused ends", () => {
  it("ends an AUTO link's session once the link expires, on the next sweep, exactly once", async () => {
    const { conversation, share, sessionId, secret } = await takenOverThroughShare("AUTO");
    await sweepTakeovers();
    expect(await controllerOf(conversation.id)).toBe("OPERATOR");

    await expireShare(share.id);
    const before = (await messagesOf(conversation.id)).length;
    await sweepTakeovers();

    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "EXPIRED", endedAt: expect.any(Date) });
    expect(await controllerOf(conversation.id)).toBe("BOT");
    const messages = await messagesOf(conversation.id);
    expect(messages.slice(before)).toEqual([
      { role: "SYSTEM", text: "Control returned to the bot: the link expired", authorName: null },
    ]);
    const [ended] = await prisma.auditEvent.findMany({ where: { conversationId: conversation.id, action: "takeover.ended" } });
    expect(ended).toMatchObject({ actorType: "system", shareId: share.id, data: { reason: "EXPIRED", sessionId } });

    const after = await writtenFor(conversation.id);
    await sweepTakeovers();
    await settleConversation(conversation.id);
    expect(await writtenFor(conversation.id)).toEqual(after);
    await expectAppError(sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Still here?" }), "forbidden");
  });

  it("ends an expired AUTO link's session when the conversation is read (settleConversation)", async () => {
    const { conversation: bystander } = await takenOverThroughShare("AUTO");
    const { conversation, share, sessionId } = await takenOverThroughShare("AUTO");
    await expireShare(share.id);

    await settleConversation(conversation.id);

    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "EXPIRED" });
    expect(await getControlState(SYSTEM, conversation.id)).toEqual({ controller: "BOT", operatorName: null, sessionId: null });
    expect(
      await prisma.message.count({
        where: { conversationId: conversation.id, text: "Control returned to the bot: the link expired" },
      }),
    ).toBe(1);
    await settleConversation(conversation.id);
    expect(
      await prisma.message.count({ where: { conversationId: conversation.id, role: "SYSTEM", text: { startsWith: "Control returned" } } }),
    ).toBe(1);
    // Only the conversation that was read.
    expect(await controllerOf(bystander.id)).toBe("OPERATOR");
  });

  it("ends an expired AUTO link's session before an operator message or a new takeover is let through", async () => {
    const { conversation, share, secret } = await takenOverThroughShare("AUTO");
    await expireShare(share.id);

    await expectAppError(sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Too late" }), "forbidden");
    // The refusal still returned control to the bot.
    expect(await controllerOf(conversation.id)).toBe("BOT");
    expect(await prisma.message.count({ where: { conversationId: conversation.id, role: "OPERATOR" } })).toBe(0);

    await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Next" });
    expect(await getControlState(SYSTEM, conversation.id)).toMatchObject({ operatorName: "Next" });
  });

  it("leaves a TAKEOVER (non-auto) link's session alone when the link expires", async () => {
    const { conversation, share, sessionId, secret } = await takenOverThroughShare("TAKEOVER");
    await expireShare(share.id);

    await sweepTakeovers();
    await settleConversation(conversation.id);

    expect(await sessionOf(sessionId)).toMatchObject({ endedAt: null, endReason: null });
    expect(await controllerOf(conversation.id)).toBe("OPERATOR");
    await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Still helping" });
  });

  it("ends the session when its link is revoked, whatever the mode", async () => {
    const { owner, conversation, share, sessionId, secret } = await takenOverThroughShare("TAKEOVER", null);

    await revokeShare(owner.actor, { shareId: share.id });

    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "REVOKED", endedAt: expect.any(Date) });
    expect(await controllerOf(conversation.id)).toBe("BOT");
    const messages = await messagesOf(conversation.id);
    expect(messages.at(-1)).toEqual({ role: "SYSTEM", text: "Control returned to the bot: the link was revoked", authorName: null });
    expect((await listControlHistory(await operatorOf(conversation.id), conversation.id))[0]).toMatchObject({ action: "takeover.ended", reason: "REVOKED" });
    await expectAppError(handBackConversation(await operatorOf(conversation.id), { conversationId: conversation.id, secret }), "forbidden");

    // Revoking again changes nothing.
    const after = await writtenFor(conversation.id);
    await revokeShare(owner.actor, { shareId: share.id });
    await sweepTakeovers();
    expect(await writtenFor(conversation.id)).toEqual(after);
  });

  it("returns control to the bot when the operator goes silent past the stale timeout", async () => {
    const { conversation } = await ownerWithConversation();
    const { sessionId, secret } = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Dana" });
    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 14 * MINUTE_MS) } });
    await settleConversation(conversation.id);
    expect(await controllerOf(conversation.id)).toBe("OPERATOR");

    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 16 * MINUTE_MS) } });
    await sweepTakeovers();

    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "STALE" });
    expect(await controllerOf(conversation.id)).toBe("BOT");
    expect((await messagesOf(conversation.id)).at(-1)).toEqual({
      role: "SYSTEM",
      text: "Control returned to the bot: the operator was inactive",
      authorName: null,
    });
    await expectAppError(sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Back!" }), "forbidden");
  });

  it("keeps an active operator's session: sending a message resets the stale clock", async () => {
    const { conversation } = await ownerWithConversation();
    const { sessionId, secret } = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Dana" });
    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 14 * MINUTE_MS) } });

    await sendOperatorMessage(await operatorOf(conversation.id), { conversationId: conversation.id, secret, text: "Still here" });
    await sweepTakeovers(new Date(Date.now() + 2 * MINUTE_MS));

    expect(await sessionOf(sessionId)).toMatchObject({ endedAt: null });
  });

  it("ends a session exactly once when sweepers race", async () => {
    const { conversation, share, sessionId } = await takenOverThroughShare("AUTO");
    await expireShare(share.id);

    await Promise.all([
      sweepTakeovers(),
      sweepTakeovers(),
      settleConversation(conversation.id),
      settleConversation(conversation.id),
    ]);

    expect(await sessionOf(sessionId)).toMatchObject({ endReason: "EXPIRED" });
    expect(
      await prisma.message.count({ where: { conversationId: conversation.id, text: { startsWith: "Control returned to the bot" } } }),
    ).toBe(1);
    expect(await prisma.auditEvent.count({ where: { conversationId: conversation.id, action: "takeover.ended" } })).toBe(1);
    expect(await prisma.conversationEvent.count({ where: { conversationId: conversation.id, type: "control" } })).toBe(2);
  });
});

describe("take over on open", () => {
  it("fires once per link: of 10 browsers opening it at once one takes over, and after a hand back no open takes over again", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "AUTO", takeOverOnOpen: true, validityHours: 1 } });
    const link = await shareLinkActor(share);

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        takeOverConversation(link, { conversationId: conversation.id, operatorName: `Tab ${index}`, onOpen: true }),
      ),
    );
    const won = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    expect(won).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect((result.reason as AppError).code).toBe("conflict");

    await handBackConversation(link, { conversationId: conversation.id, secret: won[0].secret });
    // An idle tab, a reload, another operator's browser: none takes control by itself.
    const again = await expectAppError(takeOverConversation(link, { conversationId: conversation.id, onOpen: true }), "conflict");
    expect(again.message).toMatch(/already took over once/);
    expect(await controllerOf(conversation.id)).toBe("BOT");
    // A person's click still does.
    await takeOverConversation(link, { conversationId: conversation.id, operatorName: "Clicked" });
    expect(await getControlState(SYSTEM, conversation.id)).toMatchObject({ controller: "OPERATOR", operatorName: "Clicked" });
  });

  it("never fires for a link without it, nor for anyone but a link", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { mode: "TAKEOVER" } });
    await expectAppError(takeOverConversation(await shareLinkActor(share), { conversationId: conversation.id, onOpen: true }), "conflict");
    await expectAppError(takeOverConversation(owner.actor, { conversationId: conversation.id, onOpen: true }), "conflict");
    expect(await controllerOf(conversation.id)).toBe("BOT");
  });
});
