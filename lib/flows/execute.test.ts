import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { Flow } from "@/lib/flows/schemas";
import { shareUrl } from "@/lib/shares/url";
import { createOrganization } from "@/lib/testing/fixtures";
import { postAsWebContact } from "@/lib/testing/actors";

const HOUR_MS = 3_600_000;

async function botWithFlow(flow: Flow) {
  const created = await createOrganization();
  await prisma.bot.update({ where: { id: created.bot.id }, data: { flow } });
  return created;
}

const linkFlow = (action: Record<string, unknown>): Flow => ({
  rules: [
    {
      match: { type: "keyword", keywords: ["link"] },
      actions: [
        { type: "create_conversation_url", validityHours: 24, ...action } as Flow["rules"][number]["actions"][number],
        { type: "send_text", text: "Here is your link: {{conversation_share_url}}" },
      ],
    },
    { match: { type: "fallback" }, actions: [{ type: "send_text", text: "Say link." }] },
  ],
});

const send = (botId: string, contactExternalId: string, text: string) => postAsWebContact({ botId, contactExternalId, text });
const said = (result: { messages: { role: string; text: string }[] }) => result.messages.map((m) => [m.role, m.text]);
const flowProblems = async (conversationId: string) =>
  (await prisma.auditEvent.findMany({ where: { conversationId, action: "flow.problem" }, orderBy: { createdAt: "asc" } })).map(
    (event) => (event.data as { reason: string }).reason,
  );

describe("set_variable", () => {
  it("stores a template's value with the conversation, from the message and a regex rule's captures, for later rules", async () => {
    const { bot } = await botWithFlow({
      rules: [
        {
          match: { type: "regex", pattern: "order\\s*#?(\\d+)(?:\\s+for\\s+(\\w+))?", flags: "i" },
          actions: [
            { type: "set_variable", name: "order_number", value: "{{match_1}}" },
            { type: "set_variable", name: "recipient", value: "{{ match_2 }}" },
            { type: "set_variable", name: "last_question", value: "{{message}}" },
            { type: "send_text", text: "Noted order {{order_number}}, {{contact_name}}." },
          ],
        },
        { match: { type: "fallback" }, actions: [{ type: "send_text", text: "Order {{order_number}} ({{recipient}}), match '{{match_1}}'." }] },
      ],
    });
    const contact = randomUUID();
    const first = await postAsWebContact({ botId: bot.id, contactExternalId: contact, contactName: "Ada", text: "Where is order #1042?" });
    expect(said(first)).toEqual([
      ["CONTACT", "Where is order #1042?"],
      ["BOT", "Noted order 1042, Ada."],
    ]);
    const stored = await prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    // Only what set_variable set is stored: the run's inputs (contact_name, message, match_n) are not.
    expect(stored.variables).toEqual({ order_number: "1042", recipient: "", last_question: "Where is order #1042?" });

    const later = await send(bot.id, contact, "thanks");
    expect(said(later)).toEqual([
      ["CONTACT", "thanks"],
      ["BOT", "Order 1042 (), match ''."],
    ]);
  });
});

describe("create_conversation_url", () => {
  it("shares the conversation as a takeover link and a following send_text says it; a second run reuses the link", async () => {
    const { bot } = await botWithFlow(linkFlow({}));
    const contact = randomUUID();
    const before = Date.now();

    const first = await send(bot.id, contact, "a link please");

    const share = await prisma.share.findFirstOrThrow({ where: { conversationId: first.conversationId } });
    const url = shareUrl(share.publicId);
    expect(url).toMatch(/^https?:\/\/[^/]+\/share\/[A-Za-z0-9_-]{22,}$/);
    expect(said(first)).toEqual([
      ["CONTACT", "a link please"],
      ["BOT", `Here is your link: ${url}`],
    ]);
    expect(share).toMatchObject({ mode: "TAKEOVER", validityHours: 24, takeOverOnOpen: false, shareType: "FULL", userId: null, createdByBotId: bot.id });
    expect(share.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(24 * HOUR_MS);
    expect(share.expiresAt!.getTime() - before).toBeLessThan(24 * HOUR_MS + 60_000);
    const conversation = await prisma.conversation.findUniqueOrThrow({ where: { id: first.conversationId } });
    expect(conversation.variables).toMatchObject({ conversation_share_url: url });
    expect(conversation.variables).not.toHaveProperty("contact_name");
    // History names the bot whose flow made the link, not the owner who did nothing.
    const created = await prisma.auditEvent.findFirstOrThrow({ where: { shareId: share.id, action: "share.created" } });
    expect(created).toMatchObject({ actorType: "bot", actorName: bot.name, actorUserId: null });

    const second = await send(bot.id, contact, "link again");
    expect(said(second)[1]).toEqual(["BOT", `Here is your link: ${url}`]);
    expect(await prisma.share.count({ where: { conversationId: first.conversationId } })).toBe(1);
  });

  it("makes an auto link that takes over on open, and a new link each time when asked to regenerate", async () => {
    const { bot } = await botWithFlow(linkFlow({ validityHours: 2, autoHandBack: true, takeOverOnOpen: true, regenerate: true }));
    const contact = randomUUID();

    const first = await send(bot.id, contact, "link");
    const second = await send(bot.id, contact, "link");

    const shares = await prisma.share.findMany({ where: { conversationId: first.conversationId }, orderBy: { createdAt: "asc" } });
    expect(shares).toHaveLength(2);
    for (const share of shares) expect(share).toMatchObject({ mode: "AUTO", takeOverOnOpen: true, validityHours: 2 });
    expect(said(first)[1][1]).toContain(shares[0].publicId);
    expect(said(second)[1][1]).toContain(shares[1].publicId);
  });

  it("reads the validity from a variable; when it is not whole hours the rule stops and only History says why", async () => {
    const { bot } = await botWithFlow(linkFlow({ validityHours: "{{ hours }}" }));
    const contact = randomUUID();
    const { conversationId } = await send(bot.id, contact, "hello");

    const unset = await send(bot.id, contact, "link");
    // Nothing for the contact (no half reply without its link, no word about the bot's flow) ...
    expect(said(unset)).toEqual([["CONTACT", "link"]]);
    // ... and the problem in the conversation's History, which only members read.
    expect(await flowProblems(conversationId)).toEqual([expect.stringMatching(/validity variable "hours" is not set/)]);

    await prisma.conversation.update({ where: { id: conversationId }, data: { variables: { hours: "soon" } } });
    const invalid = await send(bot.id, contact, "link");
    expect(said(invalid)).toEqual([["CONTACT", "link"]]);
    expect((await flowProblems(conversationId))[1]).toMatch(/"hours" is "soon"; it must be a whole number of hours/);
    expect(await prisma.share.count({ where: { conversationId } })).toBe(0);
    expect(await prisma.message.count({ where: { conversationId, role: "SYSTEM" } })).toBe(0);

    await prisma.conversation.update({ where: { id: conversationId }, data: { variables: { hours: "48" } } });
    const valid = await send(bot.id, contact, "link");
    const share = await prisma.share.findFirstOrThrow({ where: { conversationId } });
    expect(share.validityHours).toBe(48);
    expect(valid.messages.map((m) => m.role)).toEqual(["CONTACT", "BOT"]);
  });

  it("makes the link as the bot even when the organization has no owner: no member stands in for a flow", async () => {
    const { bot, owner } = await botWithFlow(linkFlow({}));
    await prisma.membership.updateMany({ where: { userId: owner.userId }, data: { role: "ADMIN" } });

    const result = await send(bot.id, randomUUID(), "link");

    expect(said(result)).toHaveLength(2);
    expect(await flowProblems(result.conversationId)).toEqual([]);
    expect(await prisma.share.findFirstOrThrow({ where: { conversationId: result.conversationId } })).toMatchObject({
      userId: null,
      createdByBotId: bot.id,
    });
  });
});
