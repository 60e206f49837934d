/**
 * What one contact's message through the channel API costs the database, counted in round trips
 * (every statement, BEGIN and COMMIT), not timed: a count does not depend on the machine's load.
 * The benchmark (`BENCH_ONLY=channel npm run bench`) measures the same thing through a TCP proxy.
 */
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/bots/[botId]/messages/route";
import { prisma } from "@/lib/db";
import { createBotToken } from "@/lib/tokens/mutations";
import { createOrganization } from "@/lib/testing/fixtures";
import { logStatements } from "@/lib/testing/statement-log";

const statements = logStatements();

/**
 * Round trips per message the app may spend through Prisma: 15 in all, less the one the API
 * token's rate limit spends on PostgreSQL through its own pool (which Prisma's log does not show).
 */
const BUDGET = 14;

/** Prisma logs each statement and the COMMIT of a transaction, but not its BEGIN: one more each. */
const roundTrips = () => statements.length + statements.filter((sql) => /COMMIT/.test(sql)).length;
const conversationLocks = () => statements.filter((sql) => /FOR UPDATE/.test(sql) && /FROM "Conversation"/.test(sql)).length;

const REPLY = { rules: [{ match: { type: "fallback" }, actions: [{ type: "send_text", text: "Hi {{contact_name}}, noted." }] }] };
const SILENT = { rules: [] };

async function channelOf(flow: object) {
  const { owner, bot } = await createOrganization();
  await prisma.bot.update({ where: { id: bot.id }, data: { flow } });
  const { token, item } = await createBotToken(owner.actor, { botId: bot.id, name: "channel" });
  // Used a moment ago, as a channel's token is: lastUsedAt is written at most once a minute.
  await prisma.apiToken.update({ where: { id: item.id }, data: { lastUsedAt: new Date() } });
  return async (externalId: string, text: string) => {
    statements.length = 0;
    const response = await POST(
      new Request(`http://localhost/api/v1/bots/${bot.id}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ contact: { externalId, name: "Ana" }, text }),
      }),
      { params: Promise.resolve({ botId: bot.id }) },
    );
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { messages: { role: string; text: string }[] } };
    return { replies: data.messages.map((message) => [message.role, message.text]), roundTrips: roundTrips(), locks: conversationLocks() };
  };
}

describe("a channel message's round trips", () => {
  it("stay within budget, with one conversation lock, for a contact's first and next messages answered by the flow", async () => {
    const send = await channelOf(REPLY);
    for (const text of ["Where is my order?", "Any news?"]) {
      const sent = await send("+4915100000001", text);
      expect(sent.replies).toEqual([
        ["CONTACT", text],
        ["BOT", "Hi Ana, noted."],
      ]);
      expect(sent.locks).toBe(1);
      expect(sent.roundTrips).toBeLessThanOrEqual(BUDGET);
    }
  });

  it("stay within budget when the bot has nothing to say (the benchmark's case)", async () => {
    const send = await channelOf(SILENT);
    for (const text of ["Where is my order?", "Any news?"]) {
      const sent = await send("+4915100000002", text);
      expect(sent.replies).toEqual([["CONTACT", text]]);
      expect(sent.locks).toBe(1);
      expect(sent.roundTrips).toBeLessThanOrEqual(BUDGET);
    }
  });
});
