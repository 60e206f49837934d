import { randomUUID } from "node:crypto";
import { text as readText } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { postContactMessage } from "@/lib/chat/mutations";
import { prisma } from "@/lib/db";
import { getFileStorage } from "@/lib/storage";
import { createOrganization } from "@/lib/testing/fixtures";
import { expectAppError } from "@/lib/testing/assertions";
import { postAsChannel, postAsWebContact } from "@/lib/testing/actors";

const FLOW = {
  rules: [
    { match: { type: "keyword", keywords: ["hello"] }, actions: [{ type: "send_text", text: "Hello {{ contact_name }}!" }] },
    {
      match: { type: "fallback" },
      actions: [
        { type: "send_text", text: "Thanks, {{contact_name}}." },
        { type: "send_text", text: "Ticket {{ticket}}" },
      ],
    },
  ],
};

async function botWithFlow() {
  const { bot } = await createOrganization();
  await prisma.bot.update({ where: { id: bot.id }, data: { flow: FLOW } });
  return bot;
}

const rows = (botId: string) =>
  Promise.all([
    prisma.contact.count({ where: { botId } }),
    prisma.conversation.count({ where: { botId } }),
    prisma.message.count({ where: { conversation: { botId } } }),
  ]);

describe("postContactMessage", () => {
  it("creates the contact and a web conversation on the first message and returns the bot's reply", async () => {
    const bot = await botWithFlow();
    const contactExternalId = randomUUID();

    const result = await postAsWebContact({ botId: bot.id, contactExternalId, contactName: "Maria", text: "  hello there  " });

    expect(result.messages.map((m) => [m.role, m.text])).toEqual([
      ["CONTACT", "hello there"],
      ["BOT", "Hello Maria!"],
    ]);
    const conversation = await prisma.conversation.findUniqueOrThrow({
      where: { id: result.conversationId },
      include: { contact: true, messages: { orderBy: { seq: "asc" } } },
    });
    expect(conversation).toMatchObject({ botId: bot.id, channel: "web", title: "hello there", controller: "BOT", messageCount: 2 });
    expect(conversation.contact).toMatchObject({ externalId: contactExternalId, name: "Maria" });
    expect(conversation.messages.map((m) => m.id)).toEqual(result.messages.map((m) => m.id));
    // Live pages hear of both messages.
    expect(await prisma.conversationEvent.count({ where: { conversationId: result.conversationId, type: "message" } })).toBe(2);
  });

  it("continues the returning contact's conversation, with conversation variables in replies", async () => {
    const bot = await botWithFlow();
    const contactExternalId = randomUUID();
    const first = await postAsWebContact({ botId: bot.id, contactExternalId, text: "hello" });
    await prisma.conversation.update({ where: { id: first.conversationId }, data: { variables: { ticket: "T-7" } } });

    const second = await postAsWebContact({ botId: bot.id, contactExternalId, contactName: "Someone Else", text: "my order?" });

    expect(second.conversationId).toBe(first.conversationId);
    expect(second.messages.map((m) => m.text)).toEqual(["my order?", "Thanks, Guest.", "Ticket T-7"]);
    expect(await rows(bot.id)).toEqual([1, 1, 5]);
  });

  it("stores files with the contact's message and titles a files-only conversation after the first file", async () => {
    const bot = await botWithFlow();
    const file = new File(["hello file"], "notes.txt", { type: "text/plain" });

    const result = await postAsWebContact({ botId: bot.id, contactExternalId: randomUUID(), text: "", files: [file] });

    const [message] = result.messages;
    expect(message.attachments).toMatchObject([{ fileName: "notes.txt", contentType: "text/plain", size: 10 }]);
    const attachment = await prisma.attachment.findUniqueOrThrow({ where: { id: message.attachments[0].id } });
    expect(await readText((await getFileStorage().open(attachment.storageKey))!.stream)).toBe("hello file");
    expect((await prisma.conversation.findUniqueOrThrow({ where: { id: result.conversationId } })).title).toBe("notes.txt");
  });

  it("stores the message without a bot reply while an operator holds the conversation", async () => {
    const bot = await botWithFlow();
    const contactExternalId = randomUUID();
    const first = await postAsWebContact({ botId: bot.id, contactExternalId, text: "hello" });
    await prisma.conversation.update({ where: { id: first.conversationId }, data: { controller: "OPERATOR" } });

    const second = await postAsWebContact({ botId: bot.id, contactExternalId, text: "hello again" });

    expect(second.messages.map((m) => [m.role, m.text])).toEqual([["CONTACT", "hello again"]]);
    expect(await rows(bot.id)).toEqual([1, 1, 3]);
  });

  it("rejects a message without text or files and writes nothing", async () => {
    const bot = await botWithFlow();

    const error = await expectAppError(postAsWebContact({ botId: bot.id, contactExternalId: randomUUID(), text: "   \n " }), "bad_request");

    expect(error.message).toMatch(/Write a message or attach a file/);
    expect(await rows(bot.id)).toEqual([0, 0, 0]);
  });

  it("rejects text PostgreSQL cannot store (NUL) as bad input, writing nothing", async () => {
    const bot = await botWithFlow();
    for (const input of [{ text: "hi\u0000" }, { text: "hi", contactName: "A\u0000" }, { text: "hi", contactExternalId: "x\u0000" }]) {
      // Contact ids come from channels (a web contact's id is the server's own), so as a channel.
      const error = await expectAppError(postAsChannel({ botId: bot.id, contactExternalId: randomUUID(), channel: "whatsapp", ...input }), "bad_request");
      expect(error.message).toMatch(/must not contain NUL characters/);
    }
    expect(await rows(bot.id)).toEqual([0, 0, 0]);
  });

  it("rejects a file over the upload limit and an unknown bot, writing nothing", async () => {
    const bot = await botWithFlow();
    const huge = new File([new Uint8Array(8)], "huge.bin");
    Object.defineProperty(huge, "size", { value: 26 * 1024 * 1024 });

    const tooLarge = await expectAppError(
      postAsWebContact({ botId: bot.id, contactExternalId: randomUUID(), text: "see file", files: [huge] }),
      "payload_too_large",
    );
    expect(tooLarge.message).toBe("huge.bin is larger than 25 MB.");
    await expectAppError(postAsWebContact({ botId: "no-such-bot", contactExternalId: randomUUID(), text: "hi" }), "not_found");
    expect(await rows(bot.id)).toEqual([0, 0, 0]);
  });

  it("stores and answers 10 simultaneous first messages of a new contact in one conversation", async () => {
    const bot = await botWithFlow();
    const contactExternalId = `+49151${Date.now()}`;
    const texts = Array.from({ length: 10 }, (_, index) => `message ${index}`);

    const results = await Promise.allSettled(
      texts.map((text) => postAsChannel({ botId: bot.id, contactExternalId, text, channel: "whatsapp" })),
    );

    expect(results.map((result) => result.status)).toEqual(texts.map(() => "fulfilled"));
    const answered = results.map((result) => (result as PromiseFulfilledResult<Awaited<ReturnType<typeof postContactMessage>>>).value);
    expect(new Set(answered.map((result) => result.conversationId)).size).toBe(1);
    for (const [index, result] of answered.entries()) {
      expect(result.messages.map((m) => [m.role, m.text])).toEqual([
        ["CONTACT", texts[index]],
        ["BOT", "Thanks, Guest."],
        ["BOT", "Ticket"],
      ]);
    }
    expect(await rows(bot.id)).toEqual([1, 1, 30]);
    // In the conversation each message is followed by its own answers: the sends took turns.
    const stored = await prisma.message.findMany({ where: { conversation: { botId: bot.id } }, orderBy: { seq: "asc" }, select: { role: true, text: true } });
    for (let index = 0; index < stored.length; index += 3) {
      expect(stored.slice(index, index + 3).map((m) => m.role)).toEqual(["CONTACT", "BOT", "BOT"]);
    }
    expect(stored.filter((m) => m.role === "CONTACT").map((m) => m.text).sort()).toEqual([...texts].sort());
  });

  it("opens one conversation for simultaneous messages of a known contact without one", async () => {
    const bot = await botWithFlow();
    const contact = await prisma.contact.create({ data: { botId: bot.id, kind: "CHANNEL", externalId: randomUUID(), name: "Known" } });

    const results = await Promise.all(
      Array.from({ length: 10 }, () => postAsChannel({ botId: bot.id, contactExternalId: contact.externalId, text: "hi", channel: "telegram" })),
    );

    expect(new Set(results.map((result) => result.conversationId)).size).toBe(1);
    expect(await rows(bot.id)).toEqual([1, 1, 30]);
  });

  it("makes simultaneous messages of a contact take turns in their existing conversation", async () => {
    const bot = await botWithFlow();
    const contactExternalId = randomUUID();
    const first = await postAsChannel({ botId: bot.id, contactExternalId, text: "first message", channel: "whatsapp" });

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => postAsChannel({ botId: bot.id, contactExternalId, text: `message ${index}`, channel: "whatsapp" })),
    );

    expect(new Set(results.map((result) => result.conversationId))).toEqual(new Set([first.conversationId]));
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId }, select: { messageCount: true } });
    expect(conversation.messageCount).toBe(33);
    const stored = await prisma.message.findMany({ where: { conversationId: first.conversationId }, orderBy: { seq: "asc" }, select: { role: true } });
    for (let index = 0; index < stored.length; index += 3) {
      expect(stored.slice(index, index + 3).map((m) => m.role)).toEqual(["CONTACT", "BOT", "BOT"]);
    }
  });

  it("keeps a web-chat contact and a channel contact with the same id apart", async () => {
    const bot = await botWithFlow();
    const sharedId = randomUUID();
    const channel = await postAsChannel({ botId: bot.id, contactExternalId: sharedId, text: "hello", channel: "line" });
    const web = await postAsWebContact({ botId: bot.id, contactExternalId: sharedId, text: "hello" });

    expect(web.conversationId).not.toBe(channel.conversationId);
    const contacts = await prisma.contact.findMany({ where: { botId: bot.id }, select: { kind: true, externalId: true }, orderBy: { kind: "asc" } });
    expect(contacts).toEqual([
      { kind: "WEB", externalId: sharedId },
      { kind: "CHANNEL", externalId: sharedId },
    ]);
    expect(await prisma.message.count({ where: { conversationId: channel.conversationId } })).toBe(2);
  });

  it("keeps each contact of a bot in their own conversation", async () => {
    const bot = await botWithFlow();
    const a = await postAsWebContact({ botId: bot.id, contactExternalId: randomUUID(), text: "hello" });
    const b = await postAsWebContact({ botId: bot.id, contactExternalId: randomUUID(), text: "hello" });
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(await rows(bot.id)).toEqual([2, 2, 4]);
  });
});
