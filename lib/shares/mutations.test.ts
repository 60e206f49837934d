import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { createShare, revokeShare, updateShare } from "@/lib/shares/mutations";
import { findActiveShare } from "@/lib/shares/queries";
import type { ShareSettingsInput } from "@/lib/shares/schemas";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { expectAppError } from "@/lib/testing/assertions";

const HOUR_MS = 60 * 60 * 1000;

/** An organization whose owner has one conversation with three messages. */
async function ownerWithConversation() {
  const org = await createOrganization();
  const { conversation, messageIds } = await createConversation(org.bot.id, [{}, {}, {}]);
  return { ...org, conversation, messageIds };
}

/** Everything a share mutation may write for this conversation. */
async function writtenFor(conversationId: string) {
  const [shares, shareMessages, auditEvents] = await Promise.all([
    prisma.share.count({ where: { conversationId } }),
    prisma.shareMessage.count({ where: { share: { conversationId } } }),
    prisma.auditEvent.count({ where: { conversationId } }),
  ]);
  return { shares, shareMessages, auditEvents };
}

function auditEvents(shareId: string, action: string) {
  return prisma.auditEvent.findMany({ where: { shareId, action } });
}

describe("createShare", () => {
  it("creates an active, unguessable public link with the default settings", async () => {
    const { owner, organization, conversation } = await ownerWithConversation();

    const { share, reused } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });

    expect(reused).toBe(false);
    expect(share.status).toBe("active");
    expect(share.publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    expect(share.url).toBe(`${env.APP_URL}/share/${share.publicId}`);
    expect(new URL(share.url).pathname).toBe(`/share/${share.publicId}`);
    expect(share).toMatchObject({
      conversationId: conversation.id,
      userId: owner.userId,
      mode: "VIEW",
      shareType: "FULL",
      visibility: "PUBLIC",
      allowContinuation: false,
      takeOverOnOpen: false,
      validityHours: null,
      expiresAt: null,
      revokedAt: null,
      viewCount: 0,
      messageIds: [],
    });
    const row = await prisma.share.findUniqueOrThrow({ where: { id: share.id } });
    expect(row.publicId).toBe(share.publicId);

    const [event] = await auditEvents(share.id, "share.created");
    expect(event).toMatchObject({
      organizationId: organization.id,
      conversationId: conversation.id,
      actorType: "user",
      actorUserId: owner.userId,
      actorName: owner.name,
    });
  });

  it("returns the existing active link when the settings are the same", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const settings: ShareSettingsInput = { mode: "TAKEOVER", validityHours: 48, customTitle: "Support chat" };

    const first = await createShare(owner.actor, { conversationId: conversation.id, settings });
    const second = await createShare(owner.actor, { conversationId: conversation.id, settings });

    expect(second.reused).toBe(true);
    expect(second.share.id).toBe(first.share.id);
    expect(second.share.publicId).toBe(first.share.publicId);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await auditEvents(first.share.id, "share.created")).toHaveLength(1);
  });

  it("reuses a partial link whatever the order of the chosen messages", async () => {
    const { owner, conversation, messageIds } = await ownerWithConversation();
    const first = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0], messageIds[2]] },
    });
    const second = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[2], messageIds[0], messageIds[2]] },
    });
    expect(second).toMatchObject({ reused: true, share: { id: first.share.id } });
    expect([...second.share.messageIds].sort()).toEqual([messageIds[0], messageIds[2]].sort());
  });

  it("mints a new id when asked to regenerate", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const first = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    const second = await createShare(owner.actor, { conversationId: conversation.id, regenerate: true, settings: {} });

    expect(second.reused).toBe(false);
    expect(second.share.id).not.toBe(first.share.id);
    expect(second.share.publicId).not.toBe(first.share.publicId);
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(2);
  });

  it.each<[string, ShareSettingsInput]>([
    ["visibility", { visibility: "ORGANIZATION" }],
    ["mode", { mode: "TAKEOVER" }],
    ["validity", { validityHours: 24 }],
    ["custom title", { customTitle: "For the billing team" }],
    ["custom description", { customDescription: "Context for the reviewer" }],
    ["continuation", { allowContinuation: true }],
  ])("makes a new link when the %s differs", async (_, settings) => {
    const { owner, conversation } = await ownerWithConversation();
    const first = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    const second = await createShare(owner.actor, { conversationId: conversation.id, settings });
    expect(second.reused).toBe(false);
    expect(second.share.publicId).not.toBe(first.share.publicId);
  });

  it("makes a new partial link when different messages are chosen", async () => {
    const { owner, conversation, messageIds } = await ownerWithConversation();
    const first = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0]] },
    });
    const second = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0], messageIds[1]] },
    });
    expect(second.reused).toBe(false);
    expect(second.share.id).not.toBe(first.share.id);
  });

  it("never hands out a revoked or expired link again", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const revoked = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    await revokeShare(owner.actor, { shareId: revoked.share.id });

    const afterRevoke = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    expect(afterRevoke.reused).toBe(false);
    expect(afterRevoke.share.publicId).not.toBe(revoked.share.publicId);

    const expiring = await createShare(owner.actor, { conversationId: conversation.id, settings: { validityHours: 1 } });
    await prisma.share.update({ where: { id: expiring.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const afterExpiry = await createShare(owner.actor, { conversationId: conversation.id, settings: { validityHours: 1 } });
    expect(afterExpiry.reused).toBe(false);
    expect(afterExpiry.share.publicId).not.toBe(expiring.share.publicId);
  });

  it("sets the expiry from the validity in hours", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const before = Date.now();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { validityHours: 24 } });
    const after = Date.now();

    expect(share.validityHours).toBe(24);
    expect(share.status).toBe("active");
    expect(share.expiresAt).toBeInstanceOf(Date);
    expect(share.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR_MS);
    expect(share.expiresAt!.getTime()).toBeLessThanOrEqual(after + 24 * HOUR_MS);
  });

  it("lets an admin share too", async () => {
    const { organization, conversation } = await ownerWithConversation();
    const admin = await createMember(organization.id, "ADMIN");
    const { share } = await createShare(admin.actor, { conversationId: conversation.id, settings: {} });
    expect(share.userId).toBe(admin.userId);
  });
});

describe("createShare rejects bad input and writes nothing", () => {
  it("refuses a partial share with a message of another conversation (422)", async () => {
    const { owner, bot, conversation, messageIds } = await ownerWithConversation();
    const { conversation: other, messageIds: otherMessageIds } = await createConversation(bot.id, [{}]);
    const before = await writtenFor(conversation.id);

    const error = await expectAppError(
      createShare(owner.actor, {
        conversationId: conversation.id,
        settings: { shareType: "PARTIAL", messageIds: [messageIds[0], otherMessageIds[0]] },
      }),
      "unprocessable",
    );

    expect(error.status).toBe(422);
    expect(error.fieldErrors?.messageIds).toBeDefined();
    expect(await writtenFor(conversation.id)).toEqual(before);
    expect(await writtenFor(other.id)).toEqual({ shares: 0, shareMessages: 0, auditEvents: 0 });
  });

  it("refuses a partial share with an unknown message id (422)", async () => {
    const { owner, conversation, messageIds } = await ownerWithConversation();
    await expectAppError(
      createShare(owner.actor, {
        conversationId: conversation.id,
        settings: { shareType: "PARTIAL", messageIds: [messageIds[0], "no-such-message"] },
      }),
      "unprocessable",
    );
    expect(await writtenFor(conversation.id)).toEqual({ shares: 0, shareMessages: 0, auditEvents: 0 });
  });

  it("accepts a 200-character title and refuses 201 characters (400)", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const error = await expectAppError(
      createShare(owner.actor, { conversationId: conversation.id, settings: { customTitle: "t".repeat(201) } }),
      "bad_request",
    );
    expect(error.status).toBe(400);
    expect(error.fieldErrors?.["settings.customTitle"]?.[0]).toMatch(/200/);
    expect(await writtenFor(conversation.id)).toEqual({ shares: 0, shareMessages: 0, auditEvents: 0 });

    const { share } = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { customTitle: "t".repeat(200) },
    });
    expect(share.customTitle).toHaveLength(200);
  });

  it("refuses a 501-character description (400)", async () => {
    const { owner, conversation } = await ownerWithConversation();
    await expectAppError(
      createShare(owner.actor, { conversationId: conversation.id, settings: { customDescription: "d".repeat(501) } }),
      "bad_request",
    );
    expect(await writtenFor(conversation.id)).toEqual({ shares: 0, shareMessages: 0, auditEvents: 0 });
  });

  it.each<[string, ShareSettingsInput]>([
    ["negative validity", { validityHours: -1 }],
    ["zero validity", { validityHours: 0 }],
    ["fractional validity", { validityHours: 1.5 }],
    ["validity beyond ten years", { validityHours: 24 * 365 * 10 + 1 }],
    ["a partial share without messages", { shareType: "PARTIAL", messageIds: [] }],
    ["take over on open on a view link", { mode: "VIEW", takeOverOnOpen: true }],
    ["an auto link that never expires", { mode: "AUTO", validityHours: null }],
    ["an unknown visibility", { visibility: "EVERYONE" as never }],
  ])("refuses %s (400)", async (_, settings) => {
    const { owner, conversation } = await ownerWithConversation();
    await expectAppError(createShare(owner.actor, { conversationId: conversation.id, settings }), "bad_request");
    expect(await writtenFor(conversation.id)).toEqual({ shares: 0, shareMessages: 0, auditEvents: 0 });
  });
});

describe("only the conversation's owners manage its shares", () => {
  it("answers 404 to another organization's owner, for create, update and revoke", async () => {
    const acme = await ownerWithConversation();
    const globex = await createOrganization("Globex");
    const { share } = await createShare(acme.owner.actor, { conversationId: acme.conversation.id, settings: {} });
    const before = await writtenFor(acme.conversation.id);

    await expectAppError(
      createShare(globex.owner.actor, { conversationId: acme.conversation.id, settings: {} }),
      "not_found",
    );
    await expectAppError(
      updateShare(globex.owner.actor, { shareId: share.id, settings: { visibility: "PUBLIC", customTitle: "Mine now" } }),
      "not_found",
    );
    await expectAppError(revokeShare(globex.owner.actor, { shareId: share.id }), "not_found");

    expect(await writtenFor(acme.conversation.id)).toEqual(before);
    const row = await prisma.share.findUniqueOrThrow({ where: { id: share.id } });
    expect(row.revokedAt).toBeNull();
    expect(row.customTitle).toBeNull();
  });

  it("answers 404 for a conversation or share that does not exist", async () => {
    const { owner } = await createOrganization();
    await expectAppError(createShare(owner.actor, { conversationId: "no-such-conversation", settings: {} }), "not_found");
    await expectAppError(revokeShare(owner.actor, { shareId: "no-such-share" }), "not_found");
    await expectAppError(updateShare(owner.actor, { shareId: "no-such-share", settings: {} }), "not_found");
  });

  it.each(["VIEWER", "OPERATOR"] as const)("answers 403 to a %s of the same organization", async (role) => {
    const { owner, organization, conversation } = await ownerWithConversation();
    const member = await createMember(organization.id, role);
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    const before = await writtenFor(conversation.id);

    await expectAppError(createShare(member.actor, { conversationId: conversation.id, settings: {} }), "forbidden");
    await expectAppError(
      createShare(member.actor, { conversationId: conversation.id, regenerate: true, settings: {} }),
      "forbidden",
    );
    await expectAppError(updateShare(member.actor, { shareId: share.id, settings: { customTitle: "x" } }), "forbidden");
    await expectAppError(revokeShare(member.actor, { shareId: share.id }), "forbidden");

    expect(await writtenFor(conversation.id)).toEqual(before);
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).revokedAt).toBeNull();
  });
});

describe("revokeShare", () => {
  it("revokes for good, idempotently, with one audit event", async () => {
    const { owner, organization, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });

    const revoked = await revokeShare(owner.actor, { shareId: share.id });
    expect(revoked.status).toBe("revoked");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(revoked.publicId).toBe(share.publicId);
    expect(await findActiveShare(owner.actor, conversation.id)).toBeNull();

    const again = await revokeShare(owner.actor, { shareId: share.id });
    expect(again.status).toBe("revoked");
    expect(again.revokedAt?.getTime()).toBe(revoked.revokedAt?.getTime());

    const events = await auditEvents(share.id, "share.revoked");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ organizationId: organization.id, actorUserId: owner.userId });
  });

  it("revokes only the link it was given", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const kept = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    const dropped = await createShare(owner.actor, { conversationId: conversation.id, regenerate: true, settings: {} });
    await revokeShare(owner.actor, { shareId: dropped.share.id });
    expect((await findActiveShare(owner.actor, conversation.id))?.id).toBe(kept.share.id);
  });
});

describe("updateShare", () => {
  it("changes the settings of the same link in place", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });

    const updated = await updateShare(owner.actor, {
      shareId: share.id,
      settings: { visibility: "ORGANIZATION", customTitle: "Escalation", mode: "TAKEOVER", allowContinuation: true },
    });

    expect(updated).toMatchObject({
      id: share.id,
      publicId: share.publicId,
      url: share.url,
      status: "active",
      visibility: "ORGANIZATION",
      customTitle: "Escalation",
      mode: "TAKEOVER",
      allowContinuation: true,
    });
    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(await auditEvents(share.id, "share.updated")).toHaveLength(1);
  });

  it("restarts the expiry only when the validity changes", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: { validityHours: 24 } });

    const sameValidity = await updateShare(owner.actor, { shareId: share.id, settings: { validityHours: 24, customTitle: "t" } });
    expect(sameValidity.expiresAt?.getTime()).toBe(share.expiresAt?.getTime());

    const before = Date.now();
    const longer = await updateShare(owner.actor, { shareId: share.id, settings: { validityHours: 72 } });
    expect(longer.expiresAt!.getTime()).toBeGreaterThanOrEqual(before + 72 * HOUR_MS);

    const forever = await updateShare(owner.actor, { shareId: share.id, settings: { validityHours: null } });
    expect(forever.expiresAt).toBeNull();
  });

  it("replaces the chosen messages of a partial share", async () => {
    const { owner, conversation, messageIds } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0]] },
    });
    const updated = await updateShare(owner.actor, {
      shareId: share.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[1], messageIds[2]] },
    });
    expect([...updated.messageIds].sort()).toEqual([messageIds[1], messageIds[2]].sort());
    const full = await updateShare(owner.actor, { shareId: share.id, settings: { shareType: "FULL" } });
    expect(full.messageIds).toEqual([]);
    expect(await prisma.shareMessage.count({ where: { shareId: share.id } })).toBe(0);
  });

  it("keeps the share unchanged when a chosen message is from another conversation", async () => {
    const { owner, bot, conversation, messageIds } = await ownerWithConversation();
    const { messageIds: otherMessageIds } = await createConversation(bot.id, [{}]);
    const { share } = await createShare(owner.actor, {
      conversationId: conversation.id,
      settings: { shareType: "PARTIAL", messageIds: [messageIds[0]] },
    });

    await expectAppError(
      updateShare(owner.actor, {
        shareId: share.id,
        settings: { shareType: "PARTIAL", messageIds: [otherMessageIds[0]], customTitle: "changed" },
      }),
      "unprocessable",
    );

    const row = await prisma.share.findUniqueOrThrow({ where: { id: share.id }, include: { messages: true } });
    expect(row.messages.map((message) => message.messageId)).toEqual([messageIds[0]]);
    expect(row.customTitle).toBeNull();
    expect(await auditEvents(share.id, "share.updated")).toHaveLength(0);
  });

  it("refuses to change a revoked or expired link (409)", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const revoked = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    await revokeShare(owner.actor, { shareId: revoked.share.id });
    const error = await expectAppError(
      updateShare(owner.actor, { shareId: revoked.share.id, settings: { customTitle: "Back again" } }),
      "conflict",
    );
    expect(error.status).toBe(409);

    const expired = await createShare(owner.actor, { conversationId: conversation.id, settings: { validityHours: 1 } });
    await prisma.share.update({ where: { id: expired.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expectAppError(updateShare(owner.actor, { shareId: expired.share.id, settings: { validityHours: 5 } }), "conflict");

    const rows = await prisma.share.findMany({ where: { conversationId: conversation.id } });
    expect(rows.map((row) => row.customTitle)).toEqual([null, null]);
    expect(rows.find((row) => row.id === expired.share.id)?.validityHours).toBe(1);
  });

  it("validates like createShare (400)", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const { share } = await createShare(owner.actor, { conversationId: conversation.id, settings: {} });
    await expectAppError(updateShare(owner.actor, { shareId: share.id, settings: { validityHours: 0 } }), "bad_request");
    await expectAppError(
      updateShare(owner.actor, { shareId: share.id, settings: { customTitle: "x".repeat(201) } }),
      "bad_request",
    );
  });
});

describe("share ids under load", () => {
  it("creates exactly one link when the same share is requested 20 times at once", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        createShare(owner.actor, { conversationId: conversation.id, regenerate: false, settings: { validityHours: 12 } }),
      ),
    );

    expect(await prisma.share.count({ where: { conversationId: conversation.id } })).toBe(1);
    expect(new Set(results.map((result) => result.share.publicId)).size).toBe(1);
    expect(results.filter((result) => !result.reused)).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { conversationId: conversation.id, action: "share.created" } })).toBe(1);
  });

  it("never reuses a public id, revoked ones included", async () => {
    const { owner, conversation } = await ownerWithConversation();
    const publicIds: string[] = [];
    for (let index = 0; index < 24; index++) {
      const { share } = await createShare(owner.actor, { conversationId: conversation.id, regenerate: true, settings: {} });
      publicIds.push(share.publicId);
      if (index % 2 === 0) await revokeShare(owner.actor, { shareId: share.id });
    }
    const again = await createShare(owner.actor, { conversationId: conversation.id, regenerate: true, settings: {} });
    publicIds.push(again.share.publicId);

    expect(new Set(publicIds).size).toBe(publicIds.length);
    for (const publicId of publicIds) expect(publicId).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });
});
