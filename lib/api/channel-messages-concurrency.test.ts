import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/bots/[botId]/messages/route";
import { prisma } from "@/lib/db";
import { createBotToken } from "@/lib/tokens/mutations";
import { createOrganization } from "@/lib/testing/fixtures";

// A live channel at c=50, on whichever engine the run uses (PGlite by default, one connection;
// PostgreSQL with TEST_DATABASE_URL): every message is stored once, in order per contact, with
// its reply, and no request waits past the test's time.
const FLOW = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Noted." }] }] };

function post(botId: string, token: string, externalId: string, text: string) {
  const request = new Request(`http://localhost/api/v1/bots/${botId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ contact: { externalId }, text }),
  });
  return POST(request, { params: Promise.resolve({ botId }) });
}

describe("POST /api/v1/bots/<botId>/messages under load", () => {
  it("takes 50 messages at once from 10 contacts: each stored once, followed by its reply", async () => {
    const org = await createOrganization();
    await prisma.bot.update({ where: { id: org.bot.id }, data: { flow: FLOW } });
    const { token } = await createBotToken(org.owner.actor, { botId: org.bot.id, name: "load" });

    const sent = Array.from({ length: 50 }, (_, index) => ({ contact: `+1555000${index % 10}`, text: `message ${index}` }));
    const responses = await Promise.all(sent.map(({ contact, text }) => post(org.bot.id, token, contact, text)));
    expect(responses.map((response) => response.status)).toEqual(sent.map(() => 201));

    const conversations = await prisma.conversation.findMany({
      where: { botId: org.bot.id },
      select: { messageCount: true, messages: { select: { role: true, text: true }, orderBy: { seq: "asc" } } },
    });
    expect(conversations).toHaveLength(10);
    for (const { messageCount, messages } of conversations) {
      expect(messageCount).toBe(10);
      // Each contact message is followed by its own reply.
      expect(messages.map((message) => message.role)).toEqual(Array.from({ length: 10 }, (_, index) => (index % 2 ? "BOT" : "CONTACT")));
    }
    const received = conversations.flatMap(({ messages }) => messages.filter((message) => message.role === "CONTACT").map((message) => message.text));
    expect(received.sort()).toEqual(sent.map(({ text }) => text).sort());
  }, 120_000);
});
