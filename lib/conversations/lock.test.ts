/** The conversation lock: taken once per transaction (not per write), and held until it ends. */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { getDatabase, setDatabase } from "@/lib/db";
import { openDatabase, openPglite } from "@/lib/db-client";
import { prisma } from "@/lib/db";
import { lockConversation } from "@/lib/conversations/lock";
import { appendMessage } from "@/lib/messages/append";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

const statements: string[] = [];
const url = inject("databaseUrl");
const template = inject("pgliteTemplate");
const shared = getDatabase();
const logged = url
  ? openDatabase({ engine: "postgres", url }, { onQuery: (sql) => statements.push(sql) })
  : openPglite(null, new Blob([readFileSync(template!)]), { onQuery: (sql) => statements.push(sql) });
setDatabase(logged);
afterAll(async () => {
  setDatabase(shared);
  await logged.close();
});

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
