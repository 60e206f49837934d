import { describe, expect, it } from "vitest";
import { messageSelect, toMessageView } from "@/lib/conversations/message-view";
import { prisma } from "@/lib/db";
import { readEventsAfter } from "@/lib/events/subscribe";
import { appendMessage } from "@/lib/messages/append";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

const HOSTILE = `${">".repeat(2000)}${"- ".repeat(1000)}`;

/** The conversation's messages as every reader gets them (the queries build views the same way). */
async function readMessages(conversationId: string) {
  const rows = await prisma.message.findMany({ where: { conversationId }, select: messageSelect, orderBy: { seq: "asc" } });
  return rows.map(toMessageView);
}

describe("appendMessage", () => {
  it("stores the rendered HTML once and sends the same HTML to live readers", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);

    const view = await prisma.$transaction((tx) =>
      appendMessage(tx, { conversationId: conversation.id, role: "BOT", text: "**Hi**\n<script>alert(1)</script>\nbye" }),
    );

    expect(view.html).toMatch(/<strong>Hi<\/strong><br \/?>\s*&lt;script&gt;alert\(1\)&lt;\/script&gt;<br \/?>\s*bye/);
    const stored = await prisma.message.findUniqueOrThrow({ where: { id: view.id }, select: { html: true } });
    expect(stored.html).toBe(view.html);
    const [event] = await readEventsAfter(conversation.id, BigInt(0));
    expect(event).toMatchObject({ type: "message", message: { id: view.id, html: view.html } });
  });

  it("stores a hostile message with bounded HTML, and every reader gets it", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);

    const view = await prisma.$transaction((tx) =>
      appendMessage(tx, { conversationId: conversation.id, role: "CONTACT", text: HOSTILE }),
    );

    expect((await readMessages(conversation.id)).map((message) => message.html)).toEqual([view.html]);
    expect(view.html.split("<blockquote>").length - 1).toBeLessThanOrEqual(20);
  });
});

describe("messages written before HTML was stored", () => {
  it("are rendered on read, the same way as new ones", async () => {
    const { bot } = await createOrganization();
    const { conversation, messageIds } = await createConversation(bot.id, [{ text: "_old_ message\nsecond line" }]);
    expect((await prisma.message.findUniqueOrThrow({ where: { id: messageIds[0] } })).html).toBeNull();

    const [first] = await readMessages(conversation.id);
    const [again] = await readMessages(conversation.id);

    expect(first.html).toMatch(/<em>old<\/em> message<br \/?>\s*second line/);
    expect(again.html).toBe(first.html);
    // Reads do not write.
    expect((await prisma.message.findUniqueOrThrow({ where: { id: messageIds[0] } })).html).toBeNull();
  });
});
