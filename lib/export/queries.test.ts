import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { OrganizationExportFilter } from "@/lib/export/entries";
import { openConversationExport, openOrganizationExport } from "@/lib/export/queries";
import { shareTranscript } from "@/lib/export/share-transcript";
import { createShare } from "@/lib/shares/mutations";
import { openShare } from "@/lib/shares/public";
import { handBackConversation, takeOverConversation } from "@/lib/takeover/mutations";
import { expectAppError } from "@/lib/testing/assertions";
import { collectAsync } from "@/lib/testing/collect";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";

const exportedBy = async (actor: Actor, filter: OrganizationExportFilter = {}) => collectAsync((await openOrganizationExport(actor, filter)).entries);

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text;
}

describe("a conversation's export", () => {
  it("has every message with its author, and the take-over, hand-back and transfer in time order", async () => {
    const { owner, bot, organization } = await createOrganization();
    const { conversation } = await createConversation(bot.id, [{ text: "Hi" }, { text: "Hello, how can I help?" }]);
    const held = await takeOverConversation(owner.actor, { conversationId: conversation.id });
    await prisma.message.create({ data: { conversationId: conversation.id, role: "OPERATOR", text: "A human here", authorName: owner.name } });
    await handBackConversation(owner.actor, { conversationId: conversation.id, secret: held.secret });
    const billing = await prisma.bot.create({ data: { organizationId: organization.id, name: `Billing ${bot.id}` } });
    const target = await createConversation(billing.id, []);
    await prisma.transfer.create({ data: { sourceConversationId: conversation.id, targetConversationId: target.conversation.id, endedAt: new Date(Date.now() + 1000), endReason: "given_back" } });

    const entries = await collectAsync((await openConversationExport(owner.actor, conversation.id)).entries);

    const times = entries.map((entry) => entry.time.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const messages = entries.filter((entry) => entry.kind === "message");
    expect(messages.filter((entry) => entry.role !== "system").map((entry) => [entry.role, entry.author, entry.text])).toEqual([
      ["contact", "Test Contact", "Hi"],
      ["bot", bot.name, "Hello, how can I help?"],
      ["operator", owner.name, "A human here"],
    ]);
    const events = entries.filter((entry) => entry.kind === "event");
    expect(events.map((entry) => [entry.event, entry.author, entry.reason])).toEqual([
      ["takeover_started", owner.name, null],
      ["takeover_ended", owner.name, "handed_back"],
      ["transfer_started", bot.name, null],
      ["transfer_ended", billing.name, "given_back"],
    ]);
    expect(events[2].text).toBe(`Transferred to ${billing.name}`);
    // The operator's message lies between the take-over and the hand-back.
    const order = entries.map((entry) => entry.event ?? entry.text);
    expect(order.indexOf("takeover_started")).toBeLessThan(order.indexOf("A human here"));
    expect(order.indexOf("A human here")).toBeLessThan(order.indexOf("takeover_ended"));
  });

  it("is not found for another organization, a share link, a contact or anonymous", async () => {
    const { owner, bot } = await createOrganization();
    const other = await createOrganization();
    const { conversation, contact } = await createConversation(bot.id);
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    const link = (await openShare(share.publicId, ANONYMOUS))!.actor;
    for (const actor of [other.owner.actor, link, { kind: "contact", contactId: contact.id, botId: bot.id } as const, ANONYMOUS]) {
      await expectAppError(openConversationExport(actor, conversation.id), "not_found");
    }
  });
});

describe("an organization's export", () => {
  it("has only the conversations the member may read, of the bot asked for, within the dates", async () => {
    const { owner, bot, organization } = await createOrganization();
    const viewer = await createMember(organization.id, "VIEWER");
    const other = await createOrganization();
    const second = await prisma.bot.create({ data: { organizationId: organization.id, name: `Second ${bot.id}` } });
    const day = (d: number) => new Date(Date.UTC(2026, 9, d, 12));
    const dated = async (botId: string, createdOn: number, messageDays: number[]) => {
      const made = await createConversation(botId, messageDays.map((d) => ({ text: `on day ${d}` })));
      await prisma.conversation.update({ where: { id: made.conversation.id }, data: { createdAt: day(createdOn), lastMessageAt: day(Math.max(...messageDays)) } });
      for (const [index, id] of made.messageIds.entries()) await prisma.message.update({ where: { id }, data: { createdAt: day(messageDays[index]) } });
      return made.conversation.id;
    };
    const early = await dated(bot.id, 1, [1, 2]);
    const spanning = await dated(bot.id, 3, [3, 10, 20]);
    const late = await dated(bot.id, 25, [25]);
    const otherBot = await dated(second.id, 10, [10]);
    const otherOrg = await dated(other.bot.id, 10, [10]);

    const all = await exportedBy(owner.actor);
    const ids = new Set(all.map((entry) => entry.conversationId));
    expect([early, spanning, late, otherBot].every((id) => ids.has(id))).toBe(true);
    expect(ids.has(otherOrg)).toBe(false);
    // Conversations in the order they were created.
    expect([...ids].filter((id) => [early, spanning, late, otherBot].includes(id))).toEqual([early, spanning, otherBot, late]);

    const window = await exportedBy(viewer.actor, { botId: bot.id, from: day(5), to: day(21) });
    expect(window.map((entry) => [entry.conversationId, entry.text])).toEqual([
      [spanning, "on day 10"],
      [spanning, "on day 20"],
    ]);

    expect((await exportedBy(other.owner.actor)).some((entry) => entry.conversationId !== otherOrg && ids.has(entry.conversationId))).toBe(false);
    await expectAppError(openOrganizationExport(other.owner.actor, { botId: bot.id }), "not_found");
    expect(await exportedBy(ANONYMOUS)).toEqual([]);
  });
});

describe("a share's transcript", () => {
  it("has only the messages a partial share shows, and nothing about the owner, the bot, the contact or the variables", async () => {
    const { owner, bot } = await createOrganization();
    const { conversation, messageIds } = await createConversation(bot.id, [{ text: "Shared one" }, { text: "Private two" }, { text: "Shared three" }]);
    await prisma.conversation.update({ where: { id: conversation.id }, data: { variables: { secret_variable: "s3cr3t-value" } } });
    const { share } = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0], messageIds[2]], customTitle: "What we agreed" },
    });
    const opened = (await openShare(share.publicId, ANONYMOUS))!;

    const markdown = await readAll(shareTranscript(opened.actor, opened.view));

    expect(markdown).toContain("# What we agreed");
    expect(markdown).toContain("Shared one");
    expect(markdown).toContain("Shared three");
    expect(markdown.indexOf("Shared one")).toBeLessThan(markdown.indexOf("Shared three"));
    for (const secret of ["Private two", owner.name, owner.email, bot.name, "Test Contact", "s3cr3t-value", "secret_variable", conversation.title]) {
      expect(markdown, secret).not.toContain(secret);
    }
  });
});
