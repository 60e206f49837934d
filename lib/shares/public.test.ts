import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Actor, AnonymousActor, UserActor } from "@/lib/auth/actor";
import {
  countAttachments,
  findAttachment,
  iterateAttachments,
  listAttachments,
  listMessagesPage,
} from "@/lib/conversations/queries";
import { prisma } from "@/lib/db";
import { publishConversationEvent } from "@/lib/events/publish";
import { appendMessage } from "@/lib/messages/append";
import { createShare, revokeShare, updateShare } from "@/lib/shares/mutations";
import { canViewShare, type ShareAccessFacts } from "@/lib/shares/policy";
import { openShare, recordShareView } from "@/lib/shares/public";
import type { ShareSettingsInput } from "@/lib/shares/schemas";
import { activeShareWhere, shareStatus } from "@/lib/shares/status";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";

const anonymous: AnonymousActor = { kind: "anonymous" };

async function sharedConversation(settings: ShareSettingsInput = {}, messages?: Parameters<typeof createConversation>[1]) {
  const org = await createOrganization();
  const created = await createConversation(org.bot.id, messages);
  const { share } = await createShare(org.owner.actor, { conversationId: created.conversation.id, settings });
  return { ...org, ...created, share };
}

async function open(publicId: string, viewer: UserActor | AnonymousActor = anonymous) {
  const opened = await openShare(publicId, viewer);
  expect(opened, `share ${publicId} should open`).not.toBeNull();
  return opened!;
}

describe("openShare", () => {
  it("shows an active public link to anyone, with the conversation's title, channel and counts", async () => {
    const { share, conversation } = await sharedConversation({}, [{}, {}, {}]);
    await prisma.conversation.update({ where: { id: conversation.id }, data: { channel: "whatsapp" } });

    const { view, actor: access } = await open(share.publicId);

    expect(view).toMatchObject({
      publicId: share.publicId,
      title: conversation.title,
      description: null,
      channel: "whatsapp",
      shareType: "FULL",
      mode: "VIEW",
      takeOverOnOpen: false,
      continueUrl: null,
      messageCount: 3,
      createdAt: conversation.createdAt.toISOString(),
    });
    expect(Date.parse(view.updatedAt)).toBeGreaterThanOrEqual(conversation.createdAt.getTime());
    expect(access.shareId).toBe(share.id);
    expect(access).toMatchObject({ kind: "share_link", conversationId: conversation.id, mode: "VIEW", partial: false, viewer: anonymous });
  });

  it("uses the custom title and description when the owner set them", async () => {
    const { share } = await sharedConversation({ customTitle: "Refund for order 1234", customDescription: "Resolved." });
    const { view } = await open(share.publicId);
    expect(view.title).toBe("Refund for order 1234");
    expect(view.description).toBe("Resolved.");
  });

  it("shows a takeover link as one", async () => {
    const { share } = await sharedConversation({ mode: "AUTO", validityHours: 2, takeOverOnOpen: true });
    const { view } = await open(share.publicId);
    expect(view).toMatchObject({ mode: "AUTO", takeOverOnOpen: true });
  });

  it("offers continuing in the bot's web chat only when the link allows it", async () => {
    const { share, bot } = await sharedConversation({ allowContinuation: true });
    expect((await open(share.publicId)).view.continueUrl).toBe(`/chat/${bot.id}/continue`);
  });

  it("tells the viewer nothing about the owner, the bot's setup or the variables", async () => {
    const { share, owner, bot, conversation, organization } = await sharedConversation();
    await prisma.bot.update({
      where: { id: bot.id },
      data: { flow: { rules: [{ keyword: "flow-secret-keyword", actions: [] }] }, webhookSecret: "whsec-secret-value" },
    });
    await prisma.conversation.update({
      where: { id: conversation.id },
      data: { variables: { order_token: "variable-secret-value" } },
    });

    const { view } = await open(share.publicId);
    const payload = JSON.stringify(view);

    for (const secret of [
      owner.email,
      owner.name,
      owner.userId,
      bot.id,
      organization.id,
      organization.name,
      conversation.id,
      conversation.contactId,
      share.id,
      "flow-secret-keyword",
      "whsec-secret-value",
      "order_token",
      "variable-secret-value",
    ]) {
      expect(payload, `view must not contain ${secret}`).not.toContain(secret);
    }
    expect(Object.keys(view).sort()).toEqual(
      [
        "channel",
        "continueUrl",
        "createdAt",
        "description",
        "messageCount",
        "mode",
        "publicId",
        "shareType",
        "takeOverOnOpen",
        "title",
        "updatedAt",
      ].sort(),
    );
  });

  it.each([
    ["an unknown id", randomBytes(24).toString("base64url")],
    ["a too short id", "abc"],
    ["a path", "../../etc/passwd"],
    ["an id with spaces", "aaaaaaaaaa aaaaaaaaaaaaa"],
    ["an overlong id", "a".repeat(65)],
    ["an empty id", ""],
    ["a SQL-looking id", "' OR 1=1 --aaaaaaaaaaaaaaaaaaaaaa"],
  ])("answers null for %s", async (_, publicId) => {
    expect(await openShare(publicId, anonymous)).toBeNull();
  });

  it("answers null for a revoked link", async () => {
    const { share, owner } = await sharedConversation();
    await open(share.publicId);
    await revokeShare(owner.actor, { shareId: share.id });
    expect(await openShare(share.publicId, anonymous)).toBeNull();
    expect(await openShare(share.publicId, owner.actor)).toBeNull();
  });

  it("answers null once the link has expired", async () => {
    const { share, owner } = await sharedConversation({ validityHours: 1 });
    await open(share.publicId);
    await prisma.share.update({ where: { id: share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await openShare(share.publicId, anonymous)).toBeNull();
    expect(await openShare(share.publicId, owner.actor)).toBeNull();
  });

  it("shows an organization link only to signed-in members of the owner's organization", async () => {
    const { share, organization, owner } = await sharedConversation({ visibility: "ORGANIZATION" });
    const colleague = await createMember(organization.id, "VIEWER");
    const outsider = (await createOrganization("Globex")).owner;

    expect(await openShare(share.publicId, anonymous)).toBeNull();
    expect(await openShare(share.publicId, outsider.actor)).toBeNull();
    expect((await open(share.publicId, colleague.actor)).view.publicId).toBe(share.publicId);
    expect((await open(share.publicId, owner.actor)).view.publicId).toBe(share.publicId);
  });

  it("shows a private link only to the user who created it", async () => {
    const { share, organization, owner } = await sharedConversation({ visibility: "PRIVATE" });
    const coOwner = await createMember(organization.id, "OWNER");
    const outsider = (await createOrganization()).owner;

    expect((await open(share.publicId, owner.actor)).view.publicId).toBe(share.publicId);
    expect(await openShare(share.publicId, coOwner.actor)).toBeNull();
    expect(await openShare(share.publicId, outsider.actor)).toBeNull();
    expect(await openShare(share.publicId, anonymous)).toBeNull();
  });
});

describe("a share's state (the share page cache's key)", () => {
  it("changes with a new message, an event, an edit of the link and the public name, but not with a view", async () => {
    const { share, conversation, owner, organization } = await sharedConversation({}, [{}]);
    const states = [(await open(share.publicId)).state];
    const changed = async () => {
      const { state } = await open(share.publicId);
      expect(states).not.toContain(state);
      states.push(state);
    };

    await prisma.$transaction((tx) => appendMessage(tx, { conversationId: conversation.id, role: "BOT", text: "a new message" }));
    await changed();
    await prisma.$transaction((tx) => publishConversationEvent(tx, conversation.id, { type: "read", messageId: "m" }));
    await changed();
    await updateShare(owner.actor, { shareId: share.id, settings: { customTitle: "A new title" } });
    await changed();
    await prisma.organization.update({ where: { id: organization.id }, data: { publicName: "Acme Help" } });
    await changed();

    const { actor: access, state } = await open(share.publicId);
    await recordShareView(access);
    expect((await open(share.publicId)).state).toBe(state);
  });
});

describe("what a share's viewer can read", () => {
  async function partialShareWithFiles() {
    const org = await createOrganization();
    const created = await createConversation(org.bot.id, [
      { text: "Hi, my order is late", files: [{ fileName: "order.pdf", bytes: "order" }] },
      { text: "Let me check", files: [{ fileName: "chosen.png", bytes: "chosen" }] },
      { text: "Here is my card number", files: [{ fileName: "card.jpg", bytes: "private" }] },
      { text: "It ships tomorrow", files: [{ fileName: "tracking.pdf", bytes: "tracking" }] },
      { text: "Thanks" },
    ]);
    const { messageIds, attachmentIds } = created;
    const chosen = [messageIds[1], messageIds[3], messageIds[4]];
    const { share } = await createShare(org.owner.actor, {
      conversationId: created.conversation.id,
      settings: { shareType: "PARTIAL", messageIds: chosen },
    });
    return { ...org, ...created, share, chosen, chosenFiles: [attachmentIds[1], attachmentIds[3]] };
  }

  it("a partial share shows exactly the chosen messages, in order", async () => {
    const { share, chosen } = await partialShareWithFiles();
    const { view, actor: access } = await open(share.publicId);

    expect(view.shareType).toBe("PARTIAL");
    expect(view.messageCount).toBe(3);
    const page = await listMessagesPage(access, access.conversationId);
    expect(page.messages.map((message) => message.id)).toEqual(chosen);
    expect(page.messages.map((message) => message.text)).toEqual(["Let me check", "It ships tomorrow", "Thanks"]);
    expect(page.earlierCursor).toBeNull();
  });

  it("a partial share offers only the files of the chosen messages", async () => {
    const { share, attachmentIds, chosenFiles } = await partialShareWithFiles();
    const { actor: access } = await open(share.publicId);

    const files = await listAttachments(access, access.conversationId);
    expect(files.map((file) => file.id)).toEqual(chosenFiles);
    expect(files.map((file) => file.fileName)).toEqual(["chosen.png", "tracking.pdf"]);
    expect(await countAttachments(access, access.conversationId)).toBe(2);

    const found = await findAttachment(access, access.conversationId, attachmentIds[1]);
    expect(found).toMatchObject({ id: attachmentIds[1], fileName: "chosen.png" });
    for (const hidden of [attachmentIds[0], attachmentIds[2]]) {
      expect(await findAttachment(access, access.conversationId, hidden)).toBeNull();
    }

    const zipped: string[] = [];
    for await (const file of iterateAttachments(access, access.conversationId)) zipped.push(file.id);
    expect(zipped).toEqual(chosenFiles);
  });

  it("a full share shows every message, including ones sent after it was shared", async () => {
    const { share, conversation, messageIds, attachmentIds } = await sharedConversation({}, [
      { files: [{ fileName: "a.txt", bytes: "a" }] },
      {},
    ]);
    const { actor: access } = await open(share.publicId);
    const later = await prisma.message.create({ data: { conversationId: conversation.id, role: "BOT", text: "Later" } });

    const page = await listMessagesPage(access, access.conversationId);
    expect(page.messages.map((message) => message.id)).toEqual([...messageIds, later.id]);
    expect(page.messages[0].attachments.map((file) => file.id)).toEqual(attachmentIds);
    expect((await listAttachments(access, access.conversationId)).map((file) => file.id)).toEqual(attachmentIds);
  });

  it("never reaches the files of another conversation", async () => {
    const { share, bot } = await sharedConversation({}, [{ files: [{ fileName: "mine.txt", bytes: "mine" }] }]);
    const { attachmentIds: otherFiles } = await createConversation(bot.id, [
      { files: [{ fileName: "other.txt", bytes: "other" }] },
    ]);
    const { actor: access } = await open(share.publicId);
    expect(await findAttachment(access, access.conversationId, otherFiles[0])).toBeNull();
    expect((await listAttachments(access, access.conversationId)).map((file) => file.fileName)).toEqual(["mine.txt"]);
  });
});

describe("recordShareView", () => {
  it("counts each view and remembers when it was last viewed", async () => {
    const { share } = await sharedConversation();
    const { actor: access } = await open(share.publicId);

    const first = new Date("2030-01-01T10:00:00.000Z");
    const second = new Date("2030-01-01T11:30:00.000Z");
    await recordShareView(access, first);
    expect(await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).toMatchObject({
      viewCount: 1,
      lastViewedAt: first,
    });
    await recordShareView(access, second);
    expect(await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).toMatchObject({
      viewCount: 2,
      lastViewedAt: second,
    });
  });

  it("counts every one of many simultaneous views", async () => {
    const { share } = await sharedConversation();
    const { actor: access } = await open(share.publicId);
    await Promise.all(Array.from({ length: 10 }, () => recordShareView(access)));
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).viewCount).toBe(10);
  });

  it("does not count views of a revoked or expired link", async () => {
    const revoked = await sharedConversation();
    const { actor: revokedAccess } = await open(revoked.share.publicId);
    await recordShareView(revokedAccess);
    await revokeShare(revoked.owner.actor, { shareId: revoked.share.id });
    await recordShareView(revokedAccess);
    expect(await prisma.share.findUniqueOrThrow({ where: { id: revoked.share.id } })).toMatchObject({ viewCount: 1 });

    const expired = await sharedConversation({ validityHours: 1 });
    const { actor: expiredAccess } = await open(expired.share.publicId);
    await prisma.share.update({ where: { id: expired.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await recordShareView(expiredAccess);
    expect(await prisma.share.findUniqueOrThrow({ where: { id: expired.share.id } })).toMatchObject({
      viewCount: 0,
      lastViewedAt: null,
    });
  });
});

describe("shareStatus", () => {
  const now = new Date("2030-06-01T12:00:00.000Z");
  const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);

  it.each([
    ["no expiry", { revokedAt: null, expiresAt: null }, "active"],
    ["expiring later", { revokedAt: null, expiresAt: at(1) }, "active"],
    ["expiring exactly now", { revokedAt: null, expiresAt: at(0) }, "expired"],
    ["expired", { revokedAt: null, expiresAt: at(-1) }, "expired"],
    ["revoked", { revokedAt: at(-5000), expiresAt: null }, "revoked"],
    ["revoked and expired", { revokedAt: at(-5000), expiresAt: at(-1000) }, "revoked"],
    ["revoked before a future expiry", { revokedAt: at(-5000), expiresAt: at(5000) }, "revoked"],
  ] as const)("%s is %s", (_, share, status) => {
    expect(shareStatus(share, now)).toBe(status);
  });

  it("matches what the database considers active", async () => {
    const { owner, bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id);
    const ids: Record<string, string> = {};
    for (const [name, data] of Object.entries({
      forever: { expiresAt: null, revokedAt: null },
      later: { expiresAt: at(60_000), revokedAt: null },
      now: { expiresAt: now, revokedAt: null },
      past: { expiresAt: at(-60_000), revokedAt: null },
      revoked: { expiresAt: null, revokedAt: at(-60_000) },
    })) {
      const row = await prisma.share.create({
        data: { publicId: randomBytes(24).toString("base64url"), conversationId: conversation.id, userId: owner.userId, ...data },
      });
      ids[row.id] = name;
    }
    const active = await prisma.share.findMany({ where: { conversationId: conversation.id, ...activeShareWhere(now) } });
    expect(active.map((row) => ids[row.id]).sort()).toEqual(["forever", "later"]);
  });
});

describe("canViewShare", () => {
  const now = new Date("2030-06-01T12:00:00.000Z");
  const facts = (overrides: Partial<ShareAccessFacts> = {}): ShareAccessFacts => ({
    visibility: "PUBLIC",
    userId: "owner-user",
    organizationId: "org-a",
    revokedAt: null,
    expiresAt: null,
    ...overrides,
  });
  const member = (userId: string, organizationId: string): Actor => ({
    kind: "user",
    userId,
    name: "Someone",
    email: `${userId}@example.test`,
    memberships: [{ organizationId, organizationName: organizationId, role: "VIEWER" }],
  });

  it("lets anyone open an active public link, and nobody a revoked or expired one", () => {
    expect(canViewShare(anonymous, facts(), now)).toBe(true);
    expect(canViewShare(member("x", "org-b"), facts(), now)).toBe(true);
    expect(canViewShare(anonymous, facts({ revokedAt: now }), now)).toBe(false);
    expect(canViewShare(member("owner-user", "org-a"), facts({ revokedAt: now }), now)).toBe(false);
    expect(canViewShare(member("owner-user", "org-a"), facts({ expiresAt: now }), now)).toBe(false);
  });

  it("limits an organization link to members of that organization", () => {
    const share = facts({ visibility: "ORGANIZATION" });
    expect(canViewShare(anonymous, share, now)).toBe(false);
    expect(canViewShare(member("x", "org-b"), share, now)).toBe(false);
    expect(canViewShare(member("x", "org-a"), share, now)).toBe(true);
  });

  it("limits a private link to its creator", () => {
    const share = facts({ visibility: "PRIVATE" });
    expect(canViewShare(anonymous, share, now)).toBe(false);
    expect(canViewShare(member("someone-else", "org-a"), share, now)).toBe(false);
    expect(canViewShare(member("owner-user", "org-a"), share, now)).toBe(true);
  });

  it("limits a private link a bot made to the organization's owners and admins", () => {
    const share = facts({ visibility: "PRIVATE", userId: null });
    const withRole = (role: "OWNER" | "ADMIN" | "OPERATOR" | "VIEWER", organizationId = "org-a"): Actor => ({
      ...(member(`${role}-user`, organizationId) as Extract<Actor, { kind: "user" }>),
      memberships: [{ organizationId, organizationName: organizationId, role }],
    });
    expect(canViewShare(anonymous, share, now)).toBe(false);
    expect(canViewShare(withRole("OWNER"), share, now)).toBe(true);
    expect(canViewShare(withRole("ADMIN"), share, now)).toBe(true);
    expect(canViewShare(withRole("OPERATOR"), share, now)).toBe(false);
    expect(canViewShare(withRole("VIEWER"), share, now)).toBe(false);
    expect(canViewShare(withRole("OWNER", "org-b"), share, now)).toBe(false);
  });
});
