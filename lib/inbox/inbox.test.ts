import { afterEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { readSseFrames } from "@/lib/events/testing";
import { markConversationRead } from "@/lib/inbox/mutations";
import { listInbox } from "@/lib/inbox/queries";
import type { InboxItem } from "@/lib/inbox/view";
import { takeOverConversation } from "@/lib/takeover/mutations";
import { postAsChannel } from "@/lib/testing/actors";
import { expectAppError } from "@/lib/testing/assertions";
import { createMember, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";

// The inbox: per-member unread counts, the state filter, and the organization's live stream.

let signedIn: Actor = { kind: "anonymous" };
vi.mock("@/lib/auth/current-actor", () => ({ getActor: async () => signedIn }));
const { GET: inboxStream } = await import("@/app/(app)/conversations/events/route");

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

/** Opens the inbox stream as `actor` and collects its rows (or the error response). */
async function openInbox(actor: Actor, query = "") {
  signedIn = actor;
  const controller = new AbortController();
  const response = await inboxStream(new Request(`http://localhost/conversations/events${query}`, { signal: controller.signal }));
  const rows: InboxItem[] = [];
  let ready = false;
  if (response.ok) {
    const reader = readSseFrames(response, (frame) => {
      if (frame.startsWith("event: ready")) ready = true;
      const data = /^event: conversation\ndata: (.*)$/m.exec(frame)?.[1];
      if (data) rows.push(JSON.parse(data) as InboxItem);
    });
    cleanups.push(() => {
      controller.abort();
      void reader.cancel().catch(() => {});
    });
    await vi.waitFor(() => expect(ready).toBe(true), { timeout: 5_000 });
  }
  return { response, rows };
}

const unreadOf = async (actor: Actor, conversationId: string) => (await listInbox(actor)).find((row) => row.id === conversationId)?.unread;

describe("unread counts", () => {
  it("counts each member's contact messages since they last opened the conversation", async () => {
    const org = await createOrganization();
    const colleague = await createMember(org.organization.id, "OPERATOR");
    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", text: "first" });
    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", text: "second" });
    expect(await unreadOf(org.owner.actor, conversationId)).toBe(2);
    expect(await unreadOf(colleague.actor, conversationId)).toBe(2);

    await markConversationRead(org.owner.actor, { conversationId });
    expect(await unreadOf(org.owner.actor, conversationId)).toBe(0);
    expect(await unreadOf(colleague.actor, conversationId)).toBe(2);

    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-1", text: "third" });
    expect(await unreadOf(org.owner.actor, conversationId)).toBe(1);
    expect(await unreadOf(colleague.actor, conversationId)).toBe(3);
  });

  it("starts a member who joins later at zero, and never moves a marker back when two tabs mark at once", async () => {
    const org = await createOrganization();
    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-2", text: "old news" });
    const newcomer = await createMember(org.organization.id, "VIEWER");
    expect(await unreadOf(newcomer.actor, conversationId)).toBe(0);

    await Promise.all(Array.from({ length: 5 }, () => markConversationRead(org.owner.actor, { conversationId })));
    expect(await prisma.conversationReadMarker.count({ where: { conversationId } })).toBe(1);
    // A newer tab marked further (as if later messages were read): an older tab's mark keeps it.
    await prisma.conversationReadMarker.updateMany({ where: { conversationId }, data: { lastReadSeq: BigInt(2) ** BigInt(60) } });
    await markConversationRead(org.owner.actor, { conversationId });
    expect((await prisma.conversationReadMarker.findFirstOrThrow({ where: { conversationId } })).lastReadSeq).toBe(BigInt(2) ** BigInt(60));
  });

  it("refuses to mark another organization's conversation, or a bad id, writing nothing", async () => {
    const org = await createOrganization();
    const outsider = (await createOrganization()).owner;
    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-3", text: "hi" });
    const before = await organizationRowCounts([org.organization.id]);

    await expectAppError(markConversationRead(outsider.actor, { conversationId }), "not_found");
    await expectAppError(markConversationRead(org.owner.actor, { conversationId: "not an id!" }), "bad_request");

    expect(await organizationRowCounts([org.organization.id])).toEqual(before);
  });
});

describe("the state filter", () => {
  it("lists needs a person, held by an operator (by whom) and with the bot apart", async () => {
    const org = await createOrganization();
    const { conversationId: waiting } = await postAsChannel({ botId: org.bot.id, contactExternalId: "w", text: "person!" }, { needsHuman: true });
    const { conversationId: held } = await postAsChannel({ botId: org.bot.id, contactExternalId: "h", text: "hi" });
    await takeOverConversation(org.owner.actor, { conversationId: held, operatorName: "Dana" });
    const { conversationId: bot } = await postAsChannel({ botId: org.bot.id, contactExternalId: "b", text: "hi" });
    const ids = async (state?: InboxItem["state"]) => (await listInbox(org.owner.actor, { state })).map((row) => row.id).sort();

    expect(await ids("needs_human")).toEqual([waiting]);
    expect(await ids("operator")).toEqual([held]);
    expect(await ids("bot")).toEqual([bot]);
    expect(await ids("transferred")).toEqual([]);
    expect((await listInbox(org.owner.actor, { state: "operator" }))[0]).toMatchObject({ operatorName: "Dana", heldByYou: true });
    expect(await listInbox((await createOrganization()).owner.actor, { state: "needs_human" })).toEqual([]);
  });
});

describe("the inbox stream", () => {
  it("brings a member the row of a conversation that starts needing a person, and nothing to another organization", async () => {
    const org = await createOrganization();
    const outsider = (await createOrganization()).owner;
    const mine = await openInbox(org.owner.actor);
    const theirs = await openInbox(outsider.actor);

    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-4", contactName: "Ada", text: "help" }, { needsHuman: true });

    await vi.waitFor(() => expect(mine.rows.find((row) => row.id === conversationId && row.state === "needs_human")).toBeDefined(), { timeout: 5_000 });
    const row = mine.rows.findLast((candidate) => candidate.id === conversationId)!;
    expect(row).toMatchObject({ contactName: "Ada", unread: 1, heldByYou: false });
    // Only what the list shows: no variables, no channel ids, no member ids.
    expect(Object.keys(row).sort()).toEqual(
      ["botName", "channel", "contactName", "hasActiveShare", "heldByYou", "id", "lastMessageAt", "messageCount", "needsHumanNote", "operatorName", "state", "title", "unread"].sort(),
    );
    expect(theirs.rows.filter((candidate) => candidate.id === conversationId)).toEqual([]);
  });

  it("stops sending a member's rows once they leave the organization", async () => {
    const org = await createOrganization();
    const leaving = await createMember(org.organization.id, "OPERATOR");
    const stream = await openInbox(leaving.actor);
    await prisma.membership.deleteMany({ where: { userId: leaving.userId } });

    const { conversationId } = await postAsChannel({ botId: org.bot.id, contactExternalId: "c-5", text: "help" }, { needsHuman: true });
    const watcher = await openInbox(org.owner.actor);
    await postAsChannel({ botId: org.bot.id, contactExternalId: "c-5", text: "anyone?" });
    await vi.waitFor(() => expect(watcher.rows.some((row) => row.id === conversationId)).toBe(true), { timeout: 5_000 });

    expect(stream.rows).toEqual([]);
  });

  it("answers another organization's stream 404, a bad organization id 400, and anyone signed out 401", async () => {
    const org = await createOrganization();
    const outsider = (await createOrganization()).owner;

    expect((await openInbox(outsider.actor, `?organizationId=${org.organization.id}`)).response.status).toBe(404);
    expect((await openInbox(org.owner.actor, "?organizationId=bad%20id")).response.status).toBe(400);
    expect((await openInbox({ kind: "anonymous" })).response.status).toBe(401);
    expect((await openInbox(org.owner.actor, `?organizationId=${org.organization.id}`)).response.status).toBe(200);
  });
});
