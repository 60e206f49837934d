import { describe, expect, it, vi } from "vitest";
import { GET as downloadFile } from "@/app/chat/[botId]/files/[fileId]/route";
import { POST as postMessage } from "@/app/chat/[botId]/messages/route";
import { contactCookieName, readContactId, signContactCookie, verifyContactCookie } from "@/lib/chat/contact-cookie";
import { findWebContact } from "@/lib/chat/queries";
import { prisma } from "@/lib/db";
import { createOrganization } from "@/lib/testing/fixtures";
import { postAsChannel } from "@/lib/testing/actors";

// The web chat's routes read the contact from next/headers' cookies(): one in-memory jar here.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}));

function sendAsWebChat(botId: string, text: string) {
  const form = new FormData();
  form.set("text", text);
  return postMessage(new Request(`http://localhost/chat/${botId}/messages`, { method: "POST", body: form }), { params: Promise.resolve({ botId }) });
}

const download = (botId: string, fileId: string) =>
  downloadFile(new Request(`http://localhost/chat/${botId}/files/${fileId}`), { params: Promise.resolve({ botId, fileId }) });

/** A LINE contact of the bot (ids like these are known to anyone who chats with them) with a file in their conversation. */
async function channelContactWithFile() {
  const { bot } = await createOrganization();
  const externalId = `U${"4af4980629".repeat(3)}`;
  const file = new File(["private invoice"], "invoice.txt", { type: "text/plain" });
  const sent = await postAsChannel({ botId: bot.id, contactExternalId: externalId, text: "my invoice", files: [file], channel: "line" });
  const attachmentId = sent.messages[0].attachments[0].id;
  return { bot, externalId, conversationId: sent.conversationId, attachmentId };
}

describe("the web chat's contact cookie", () => {
  it("is signed for one bot: a tampered, unsigned or other bot's value names nobody", () => {
    const value = signContactCookie("bot-a", "abcdefghijklmnopqrstuvwx");
    expect(verifyContactCookie("bot-a", value)).toBe("abcdefghijklmnopqrstuvwx");
    expect(verifyContactCookie("bot-b", value)).toBeNull();
    expect(verifyContactCookie("bot-a", "abcdefghijklmnopqrstuvwx")).toBeNull();
    const signature = value.split(".")[1];
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    expect(verifyContactCookie("bot-a", `abcdefghijklmnopqrstuvwx.${flipped}`)).toBeNull();
    expect(verifyContactCookie("bot-a", `abcdefghijklmnopqrstuvwy.${signature}`)).toBeNull();
    expect(verifyContactCookie("bot-a", undefined)).toBeNull();
  });

  it("set to a channel contact's id, unsigned, gets a new empty chat, never their conversation or files", async () => {
    const { bot, externalId, conversationId, attachmentId } = await channelContactWithFile();
    jar.clear();
    jar.set(contactCookieName(bot.id), externalId);

    expect(await readContactId(bot.id)).toBeNull();
    expect((await download(bot.id, attachmentId)).status).toBe(404);
    const response = await sendAsWebChat(bot.id, "show me the invoice");

    expect(response.status).toBe(201);
    const body = (await response.json()) as { conversationId: string };
    expect(body.conversationId).not.toBe(conversationId);
    expect(jar.get(contactCookieName(bot.id))).not.toBe(externalId);
    expect(await readContactId(bot.id)).not.toBe(externalId);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(1);
  });

  it("set to a channel contact's id, even validly signed, reaches only a web contact of that id", async () => {
    const { bot, externalId, conversationId, attachmentId } = await channelContactWithFile();
    jar.clear();
    jar.set(contactCookieName(bot.id), signContactCookie(bot.id, externalId));

    expect(await readContactId(bot.id)).toBe(externalId);
    // The page and the live stream find no contact, so they show an empty chat.
    expect(await findWebContact(bot.id, externalId)).toBeNull();
    expect((await download(bot.id, attachmentId)).status).toBe(404);
    const response = await sendAsWebChat(bot.id, "show me the invoice");

    expect(response.status).toBe(201);
    const body = (await response.json()) as { conversationId: string };
    expect(body.conversationId).not.toBe(conversationId);
    expect(await prisma.conversation.findUniqueOrThrow({ where: { id: body.conversationId }, select: { channel: true, contact: { select: { kind: true } } } })).toEqual({
      channel: "web",
      contact: { kind: "WEB" },
    });
    expect((await download(bot.id, attachmentId)).status).toBe(404);
    expect(await prisma.message.count({ where: { conversationId } })).toBe(1);
  });

  it("keeps a web contact's chat for the signed cookie and ignores it once the signature is tampered with", async () => {
    const { bot } = await createOrganization();
    jar.clear();
    const first = (await (await sendAsWebChat(bot.id, "hello")).json()) as { conversationId: string };
    const cookie = jar.get(contactCookieName(bot.id))!;
    const contactId = await readContactId(bot.id);
    expect(contactId).not.toBeNull();
    const again = (await (await sendAsWebChat(bot.id, "still me")).json()) as { conversationId: string };
    expect(again.conversationId).toBe(first.conversationId);

    jar.set(contactCookieName(bot.id), `${cookie.slice(0, -1)}${cookie.endsWith("A") ? "B" : "A"}`);
    expect(await readContactId(bot.id)).toBeNull();
    const stranger = (await (await sendAsWebChat(bot.id, "who am I?")).json()) as { conversationId: string };
    expect(stranger.conversationId).not.toBe(first.conversationId);
    expect(await prisma.message.count({ where: { conversationId: first.conversationId, role: "CONTACT" } })).toBe(2);
  });
});
