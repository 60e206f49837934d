import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Flow } from "@/lib/flows/schemas";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { settleConversation, sweepTakeovers } from "@/lib/takeover/expiry";
import { handBackConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { operatorOf, postAsChannel, shareLinkActor } from "@/lib/testing/actors";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

// on_hand_back: the bot's rule runs once for every end of a takeover session, whatever ended it.

const MINUTE_MS = 60_000;
const BACK = "Back! {{operator_name}} left ({{handed_back_reason}}, {{operator_session_minutes}} min). Anything else, {{contact_name}}?";

const FLOW: Flow = {
  rules: [
    { name: "Greeting", match: { type: "keyword", keywords: ["hello"] }, actions: [{ type: "send_text", text: "Hi!" }] },
    { name: "Back", match: { type: "on_hand_back" }, actions: [{ type: "send_text", text: BACK }] },
  ],
};

/** A conversation of a bot with an on_hand_back rule, taken over by Dana (through an AUTO link, or as a member). */
async function heldConversation({ throughLink = false } = {}) {
  const org = await createOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
  const { conversation } = await createConversation(org.bot.id, [{ text: "hello" }]);
  if (!throughLink) {
    const taken = await takeOverConversation(await operatorOf(conversation.id), { conversationId: conversation.id, operatorName: "Dana" });
    return { ...org, conversation, share: null, ...taken };
  }
  const { share } = await createShare(org.owner.actor, { conversationId: conversation.id, settings: { mode: "AUTO", validityHours: 24 } });
  const taken = await takeOverConversation(await shareLinkActor(share), { conversationId: conversation.id, operatorName: "Dana" });
  return { ...org, conversation, share, ...taken };
}

/** The bot's "Back!" messages of the conversation. */
async function backMessages(conversationId: string) {
  const rows = await prisma.message.findMany({ where: { conversationId, role: "BOT", text: { startsWith: "Back!" } }, orderBy: { seq: "asc" }, select: { text: true } });
  return rows.map((row) => row.text);
}

describe("on_hand_back", () => {
  it("runs once when the operator hands back, after the system line, with the operator's name, the reason and the minutes", async () => {
    const { conversation, sessionId, secret } = await heldConversation();
    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { startedAt: new Date(Date.now() - 7 * MINUTE_MS) } });

    await handBackConversation(await operatorOf(conversation.id), { conversationId: conversation.id, secret });

    expect(await backMessages(conversation.id)).toEqual(["Back! Dana left (handed_back, 7 min). Anything else, Test Contact?"]);
    const [last, beforeLast] = await prisma.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: "desc" }, take: 2 });
    expect(beforeLast.text).toBe("Control returned to the bot");
    expect(last.role).toBe("BOT");
    // The variables belong to that run only: nothing is stored with the conversation.
    const { variables } = await prisma.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { variables: true } });
    expect(variables).toEqual({});
  });

  it("runs once when an auto link expires, however many sweepers and readers see it", async () => {
    const { conversation, share } = await heldConversation({ throughLink: true });
    await prisma.share.update({ where: { id: share!.id }, data: { expiresAt: new Date(Date.now() - MINUTE_MS) } });

    await Promise.all([sweepTakeovers(), sweepTakeovers(), settleConversation(conversation.id), settleConversation(conversation.id)]);
    await sweepTakeovers();

    expect(await backMessages(conversation.id)).toEqual([expect.stringContaining("(expired, 0 min)")]);
  });

  it("runs once when the operator goes silent past the stale timeout", async () => {
    const { conversation, sessionId } = await heldConversation();
    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 16 * MINUTE_MS) } });

    await sweepTakeovers();
    await sweepTakeovers();

    expect(await backMessages(conversation.id)).toEqual([expect.stringContaining("(stale,")]);
  });

  it("runs once when the owner ends the session by revoking its link", async () => {
    const { conversation, share, owner } = await heldConversation({ throughLink: true });

    await revokeShare(owner.actor, { shareId: share!.id });
    await sweepTakeovers();

    expect(await backMessages(conversation.id)).toEqual([expect.stringContaining("(revoked,")]);
  });

  it("runs once when a hand back and the sweeper end the same session at the same moment", async () => {
    const { conversation, sessionId, secret } = await heldConversation();
    await prisma.takeoverSession.update({ where: { id: sessionId }, data: { lastActivityAt: new Date(Date.now() - 16 * MINUTE_MS) } });
    const operator = await operatorOf(conversation.id);

    const results = await Promise.allSettled([
      handBackConversation(operator, { conversationId: conversation.id, secret }),
      handBackConversation(operator, { conversationId: conversation.id, secret }),
      sweepTakeovers(),
      settleConversation(conversation.id),
    ]);

    expect(results.filter((result) => result.status === "rejected").every((result) => String((result as PromiseRejectedResult).reason).includes("ended"))).toBe(true);
    expect(await backMessages(conversation.id)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { conversationId: conversation.id, action: "takeover.ended" } })).toBe(1);
  });

  it("runs once per ending: a second takeover's hand back runs it again", async () => {
    const { conversation, secret } = await heldConversation();
    const operator = await operatorOf(conversation.id);
    await handBackConversation(operator, { conversationId: conversation.id, secret });
    const again = await takeOverConversation(operator, { conversationId: conversation.id, operatorName: "Lee" });
    await handBackConversation(operator, { conversationId: conversation.id, secret: again.secret });

    expect(await backMessages(conversation.id)).toEqual([expect.stringContaining("Dana left"), expect.stringContaining("Lee left")]);
  });

  it("never answers a contact's message: an on_hand_back rule is skipped when matching messages", async () => {
    const org = await createOrganization();
    await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: { rules: [FLOW.rules[1]] } } });

    const reply = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", text: "anything at all" });

    expect(reply.messages.map((message) => message.role)).toEqual(["CONTACT"]);
  });
});
