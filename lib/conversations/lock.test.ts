/** The conversation lock: taken once per transaction (not per write), and held until it ends. */
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { lockConversation } from "@/lib/conversations/lock";
import { appendMessage } from "@/lib/messages/append";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { logStatements } from "@/lib/testing/statement-log";

const statements = logStatements();

const locks = () => statements.filter((sql) => /FOR UPDATE/.test(sql) && /"Conversation"/.test(sql)).length;

describe("lockConversation", () => {
  it("locks the row once per transaction however many messages and events it writes", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    statements.length = 0;
    await prisma.$transaction(async (tx) => {
      await appendMessage(tx, { conversationId: conversation.id, role: "CONTACT", text: "question" });
      await appendMessage(tx, { conversationId: conversation.id, role: "BOT", text: "answer" });
      await appendMessage(tx, { conversationId: conversation.id, role: "BOT", text: "more" });
    });
    expect(locks()).toBe(1);
  });

  it("locks again in every new transaction, so writers still take turns", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    statements.length = 0;
    for (let round = 0; round < 3; round++) {
      await prisma.$transaction((tx) => lockConversation(tx, conversation.id));
    }
    expect(locks()).toBe(3);
  });
});
