import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/bots/[botId]/messages/route";
import { prisma } from "@/lib/db";
import { createOrganization } from "@/lib/testing/fixtures";
import { takeOverConversation } from "@/lib/takeover/mutations";
import { createBotToken } from "@/lib/tokens/mutations";

// An operator replying on the channel itself (the business phone) holds the conversation like a
// console operator: the bot falls silent until the lease ends.

const FLOW = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Bot here." }] }] };

type Envelope = {
  success: boolean;
  data?: { conversationId: string; messages: { role: string; text: string; authorName: string | null }[] };
  error?: { code: string; message: string };
};

function post(botId: string, body: unknown, token: string) {
  const request = new Request(`http://localhost/api/v1/bots/${botId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ botId }) });
}

async function botWithContact() {
  const org = await createOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW, webhookUrl: "https://hooks.example.test/in" } });
  const { token } = await createBotToken(org.owner.actor, { botId: org.bot.id, name: "channel" });
  const first = (await (await post(org.bot.id, { contact: { externalId: "+491701" }, text: "hi", channel: "whatsapp" }, token)).json()) as Envelope;
  return { ...org, token, conversationId: first.data!.conversationId };
}

async function stateOf(conversationId: string) {
  const [conversation, sessions, messages, deliveries] = await Promise.all([
    prisma.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { controller: true } }),
    prisma.takeoverSession.findMany({ where: { conversationId }, select: { operatorName: true, viaChannel: true, endedAt: true } }),
    prisma.message.count({ where: { conversationId } }),
    prisma.webhookDelivery.count({ where: { conversationId } }),
  ]);
  return { controller: conversation.controller, sessions, messages, deliveries };
}

describe("POST /api/v1/bots/<botId>/messages with role operator", () => {
  it("takes over from the bot, silences it, and continues the same lease on the next reply", async () => {
    const { bot, token, conversationId } = await botWithContact();

    const response = await post(bot.id, { role: "operator", operatorName: "Mia", contact: { externalId: "+491701" }, text: "Hi, Mia from the shop." }, token);

    expect(response.status).toBe(201);
    const body = (await response.json()) as Envelope;
    expect(body.data).toEqual({ conversationId, messages: [expect.objectContaining({ role: "OPERATOR", text: "Hi, Mia from the shop.", authorName: "Mia" })] });
    expect(await stateOf(conversationId)).toMatchObject({
      controller: "OPERATOR",
      sessions: [{ operatorName: "Mia", viaChannel: true, endedAt: null }],
      // It came from the channel: nothing goes back to the channel's webhook.
      deliveries: 0,
    });
    const silenced = (await (await post(bot.id, { contact: { externalId: "+491701" }, text: "thanks!" }, token)).json()) as Envelope;
    expect(silenced.data!.messages.map((message) => message.role)).toEqual(["CONTACT"]);

    await post(bot.id, { role: "operator", contact: { externalId: "+491701" }, text: "You're welcome." }, token);
    const state = await stateOf(conversationId);
    expect(state.sessions).toHaveLength(1);
    const last = await prisma.message.findFirstOrThrow({ where: { conversationId }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ role: "OPERATOR", authorName: "Mia" });
  });

  it("refuses while a console operator holds the chat (409) and for a contact with no conversation (404), writing nothing", async () => {
    const { bot, token, owner, conversationId } = await botWithContact();
    await takeOverConversation(owner.actor, { conversationId });
    const before = await stateOf(conversationId);

    const held = await post(bot.id, { role: "operator", contact: { externalId: "+491701" }, text: "me too" }, token);
    expect(held.status).toBe(409);
    expect(((await held.json()) as Envelope).error!.message).toBe(`Taken over by ${owner.name}`);
    expect((await post(bot.id, { role: "operator", contact: { externalId: "+49-unknown" }, text: "hello" }, token)).status).toBe(404);
    expect(await stateOf(conversationId)).toEqual(before);
    expect(await prisma.contact.count({ where: { botId: bot.id } })).toBe(1);
  });

  it("answers 404 for another bot's token and 400 for a bad body, writing nothing", async () => {
    const { bot, token, conversationId } = await botWithContact();
    const other = await botWithContact();
    const before = await stateOf(conversationId);

    expect((await post(bot.id, { role: "operator", contact: { externalId: "+491701" }, text: "hi" }, other.token)).status).toBe(404);
    const bad: unknown[] = [
      { role: "admin", contact: { externalId: "+491701" }, text: "hi" },
      { role: "operator", contact: { externalId: "+491701" }, text: "" },
      { role: "operator", contact: { externalId: "+491701" }, text: "hi", operatorNmae: "typo" },
      { role: "operator", contact: { externalId: "+491701" }, text: "hi", operatorName: "x".repeat(61) },
      { role: "operator", contact: { externalId: "+491701" }, text: "hi", variables: { a: 1 } },
      { role: "operator", contact: { externalId: "+491701" }, text: "hi", files: [{ fileName: "a.txt", dataBase64: "YQ==" }] },
      { contact: { externalId: "+491701" }, text: "hi", operatorName: "Mia" },
    ];
    for (const body of bad) {
      const response = await post(bot.id, body, token);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as Envelope).error!.code).toBe("bad_request");
    }
    expect(await stateOf(conversationId)).toEqual(before);
  });
});
