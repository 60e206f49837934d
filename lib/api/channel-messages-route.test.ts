import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/bots/[botId]/messages/route";
import { prisma } from "@/lib/db";
import { createBotToken, createPersonalToken } from "@/lib/tokens/mutations";
import { createOrganization } from "@/lib/testing/fixtures";

const FLOW = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Hi {{contact_name}}, noted." }] }] };

type Envelope = {
  success: boolean;
  data?: { conversationId: string; messages: { role: string; text: string; attachments: { fileName: string; size: number }[] }[] };
  error?: { code: string; message: string };
  meta: { timestamp: string; requestId: string };
};

function post(botId: string, body: unknown, token?: string) {
  const request = new Request(`http://localhost/api/v1/bots/${botId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return POST(request, { params: Promise.resolve({ botId }) });
}

async function botWithToken() {
  const org = await createOrganization();
  await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
  const { token } = await createBotToken(org.owner.actor, { botId: org.bot.id, name: "channel" });
  return { ...org, token };
}

const written = (botId: string) =>
  Promise.all([
    prisma.contact.count({ where: { botId } }),
    prisma.conversation.count({ where: { botId } }),
    prisma.message.count({ where: { conversation: { botId } } }),
  ]);

describe("POST /api/v1/bots/<botId>/messages", () => {
  it("creates the contact and a conversation on the channel on first contact and returns the bot's reply", async () => {
    const { bot, token } = await botWithToken();

    const response = await post(bot.id, { contact: { externalId: "+4915112345678", name: "Ana" }, text: "Where is my order?", channel: "WhatsApp" }, token);

    expect(response.status).toBe(201);
    const body = (await response.json()) as Envelope;
    expect(body.success).toBe(true);
    expect(body.meta.requestId).toBeTruthy();
    expect(body.data!.messages.map((m) => [m.role, m.text])).toEqual([
      ["CONTACT", "Where is my order?"],
      ["BOT", "Hi Ana, noted."],
    ]);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: body.data!.conversationId }, include: { contact: true } });
    expect(conversation).toMatchObject({ botId: bot.id, channel: "whatsapp", messageCount: 2 });
    expect(conversation.contact).toMatchObject({ externalId: "+4915112345678", name: "Ana" });

    const second = (await (await post(bot.id, { contact: { externalId: "+4915112345678" }, text: "Any news?" }, token)).json()) as Envelope;
    expect(second.data!.conversationId).toBe(conversation.id);
    expect(await written(bot.id)).toEqual([1, 1, 4]);
  });

  it("sets the variables it is sent before the bot answers, so the flow can use them", async () => {
    const { bot, token } = await botWithToken();
    await prisma.bot.update({
      where: { id: bot.id },
      data: { flow: { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Order {{order}} ({{priority}})." }] }] } },
    });

    const body = { contact: { externalId: "crm-7" }, text: "status?", variables: { order: "A-1042", priority: 2 } };
    const envelope = (await (await post(bot.id, body, token)).json()) as Envelope;

    expect(envelope.data!.messages.map((m) => [m.role, m.text])).toEqual([
      ["CONTACT", "status?"],
      ["BOT", "Order A-1042 (2)."],
    ]);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: envelope.data!.conversationId } });
    expect(conversation.variables).toEqual({ order: "A-1042", priority: 2 });
  });

  it("stores base64 files and stays silent while an operator holds the conversation", async () => {
    const { bot, token } = await botWithToken();
    const first = (await (await post(bot.id, { contact: { externalId: "chat-1" }, text: "hello" }, token)).json()) as Envelope;
    await prisma.conversation.update({ where: { id: first.data!.conversationId }, data: { controller: "OPERATOR" } });

    const response = await post(
      bot.id,
      { contact: { externalId: "chat-1" }, files: [{ fileName: "receipt.txt", contentType: "text/plain", dataBase64: Buffer.from("paid").toString("base64") }] },
      token,
    );

    expect(response.status).toBe(201);
    const body = (await response.json()) as Envelope;
    expect(body.data!.messages).toHaveLength(1);
    expect(body.data!.messages[0].attachments).toMatchObject([{ fileName: "receipt.txt", size: 4 }]);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: first.data!.conversationId } });
    expect(conversation.channel).toBe("api");
  });

  it("answers 401 for a missing or unknown token and 404 for another bot's or a personal token", async () => {
    const { bot, token, owner } = await botWithToken();
    const other = await botWithToken();
    const { token: personal } = await createPersonalToken(owner.actor, { name: "me" });
    const message = { contact: { externalId: "x" }, text: "hi" };

    const missing = await post(bot.id, message);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as Envelope).error).toMatchObject({ code: "unauthorized" });
    expect((await post(bot.id, message, "sb_bot_" + "0".repeat(32))).status).toBe(401);
    const wrongBot = await post(bot.id, message, other.token);
    expect(wrongBot.status).toBe(404);
    expect(((await wrongBot.json()) as Envelope).success).toBe(false);
    expect((await post(bot.id, message, personal)).status).toBe(404);
    expect((await post("no-such-bot", message, token)).status).toBe(404);
    expect(await written(bot.id)).toEqual([0, 0, 0]);
  });

  it("answers 400 for a bad body and 422 for undecodable files, writing nothing", async () => {
    const { bot, token } = await botWithToken();

    const bad = [
      "not json",
      {},
      { contact: { externalId: "" }, text: "hi" },
      { contact: { externalId: "x" }, text: "   " },
      { contact: { externalId: "x" }, text: "a".repeat(4001) },
      { contact: { externalId: "x" }, text: "hi", channel: "web" },
      { contact: { externalId: "x" }, files: Array.from({ length: 6 }, () => ({ fileName: "a", dataBase64: "" })) },
      { contact: { externalId: "x" }, text: "hi", variables: { "bad name": "1" } },
      { contact: { externalId: "x" }, text: "hi", variables: { transfer_active: true } },
      { contact: { externalId: "x" }, text: "hi", variables: { order: { nested: 1 } } },
      { contact: { externalId: "x" }, text: "hi", variables: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`v${i}`, i])) },
    ];
    for (const body of bad) {
      const response = await post(bot.id, body, token);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      const envelope = (await response.json()) as Envelope;
      expect(envelope).toMatchObject({ success: false, error: { code: "bad_request" } });
      expect(envelope.error!.message).toBeTruthy();
    }
    const undecodable = await post(bot.id, { contact: { externalId: "x" }, files: [{ fileName: "a.bin", dataBase64: "***" }] }, token);
    expect(undecodable.status).toBe(422);
    expect(await written(bot.id)).toEqual([0, 0, 0]);
  });
});
