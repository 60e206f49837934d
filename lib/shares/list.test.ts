import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { listShares } from "@/lib/shares/list";
import { createShare, revokeShares } from "@/lib/shares/mutations";
import type { ShareListFilter, ShareSettingsInput } from "@/lib/shares/schemas";
import { expectAppError } from "@/lib/testing/assertions";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";

type Org = Awaited<ReturnType<typeof createOrganization>>;

async function shareOf(org: Org, conversationId: string, settings: ShareSettingsInput = {}) {
  return (await createShare(org.owner.actor, { conversationId, regenerate: true, settings })).share;
}

/**
 * An organization with two bots: "Refund question" (view, takeover, an expired and a revoked
 * link) on the first, "Delivery status" (one view link) on the second.
 */
async function organizationWithLinks() {
  const org = await createOrganization();
  const secondBot = await prisma.bot.create({ data: { organizationId: org.organization.id, name: "Second bot" } });
  const refund = (await createConversation(org.bot.id, [{}], "Refund question")).conversation;
  const delivery = (await createConversation(secondBot.id, [{}], "Delivery status")).conversation;
  const view = await shareOf(org, refund.id);
  const takeover = await shareOf(org, refund.id, { mode: "TAKEOVER" });
  const expired = await shareOf(org, refund.id, { validityHours: 1 });
  await prisma.share.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  const revoked = await shareOf(org, refund.id);
  await prisma.share.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
  const other = await shareOf(org, delivery.id);
  return { ...org, secondBot, refund, delivery, ids: { view: view.id, takeover: takeover.id, expired: expired.id, revoked: revoked.id, other: other.id } };
}

const idsOf = (page: { shares: { id: string }[] }) => page.shares.map((share) => share.id).sort();

async function activeCount(conversationIds: string[]) {
  return prisma.share.count({ where: { conversationId: { in: conversationIds }, revokedAt: null } });
}

describe("listShares", () => {
  it("lists every link of the organization, newest first, with its conversation, bot and creator", async () => {
    const org = await organizationWithLinks();

    const page = await listShares(org.owner.actor);

    expect(page.shares.map((share) => share.id)).toEqual([org.ids.other, org.ids.revoked, org.ids.expired, org.ids.takeover, org.ids.view]);
    expect(page.nextCursor).toBeNull();
    const byId = new Map(page.shares.map((share) => [share.id, share]));
    expect(byId.get(org.ids.view)).toMatchObject({ conversationTitle: "Refund question", botName: org.bot.name, creatorName: org.owner.name, status: "active" });
    expect(byId.get(org.ids.expired)?.status).toBe("expired");
    expect(byId.get(org.ids.revoked)?.status).toBe("revoked");
    expect(byId.get(org.ids.other)?.botName).toBe("Second bot");
  });

  it("filters by status, mode, bot and title (any case)", async () => {
    const org = await organizationWithLinks();
    const list = (filter: ShareListFilter) => listShares(org.owner.actor, { filter }).then(idsOf);

    expect(await list({ status: "active" })).toEqual([org.ids.view, org.ids.takeover, org.ids.other].sort());
    expect(await list({ status: "expired" })).toEqual([org.ids.expired]);
    expect(await list({ status: "revoked" })).toEqual([org.ids.revoked]);
    expect(await list({ mode: "TAKEOVER" })).toEqual([org.ids.takeover]);
    expect(await list({ botId: org.secondBot.id })).toEqual([org.ids.other]);
    expect(await list({ q: "delivery" })).toEqual([org.ids.other]);
    expect(await list({ q: "REFUND", status: "active", mode: "VIEW" })).toEqual([org.ids.view]);
    expect(await list({ q: "no such title" })).toEqual([]);
  });

  it("shows another organization, a VIEWER and an OPERATOR nothing", async () => {
    const org = await organizationWithLinks();
    const stranger = await createOrganization();
    const viewer = await createMember(org.organization.id, "VIEWER");
    const operator = await createMember(org.organization.id, "OPERATOR");

    expect((await listShares(stranger.owner.actor)).shares).toEqual([]);
    expect((await listShares(stranger.owner.actor, { filter: { conversationId: org.refund.id } })).shares).toEqual([]);
    expect((await listShares(viewer.actor)).shares).toEqual([]);
    expect((await listShares(operator.actor)).shares).toEqual([]);
  });

  it("pages through many links without repeating or skipping one, even when they were created in the same millisecond", async () => {
    const org = await createOrganization();
    const { conversation } = await createConversation(org.bot.id, [{}]);
    const created = [];
    for (let index = 0; index < 23; index += 1) created.push(await shareOf(org, conversation.id));
    // Three groups share one createdAt each: only the id orders them.
    const instants = [new Date("2026-01-01T00:00:00.000Z"), new Date("2026-01-02T00:00:00.000Z"), new Date("2026-01-03T00:00:00.000Z")];
    for (const [index, share] of created.entries()) {
      await prisma.share.update({ where: { id: share.id }, data: { createdAt: instants[index % 3] } });
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await listShares(org.owner.actor, { cursor, limit: 4 });
      seen.push(...page.shares.map((share) => share.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);

    const expected = [...created]
      .map((share, index) => ({ id: share.id, at: instants[index % 3].getTime() }))
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
      .map((share) => share.id);
    expect(seen).toEqual(expected);
    expect(pages).toBe(6);
  });

  it("refuses a cursor it did not make", async () => {
    const org = await createOrganization();
    for (const cursor of ["garbage", Buffer.from("not-a-date|abc").toString("base64url"), Buffer.from("2026-01-01T00:00:00.000Z|a b").toString("base64url")]) {
      await expectAppError(listShares(org.owner.actor, { cursor }), "bad_request");
    }
  });
});

describe("revokeShares", () => {
  it("revokes every active link matching the filter, in the caller's organization only, each audited once", async () => {
    const org = await organizationWithLinks();
    const stranger = await organizationWithLinks();

    const { revoked } = await revokeShares(org.owner.actor, { filter: { q: "refund" } });

    expect(revoked).toBe(2);
    const statuses = new Map((await listShares(org.owner.actor)).shares.map((share) => [share.id, share.status]));
    expect(statuses.get(org.ids.view)).toBe("revoked");
    expect(statuses.get(org.ids.takeover)).toBe("revoked");
    expect(statuses.get(org.ids.expired)).toBe("expired");
    expect(statuses.get(org.ids.other)).toBe("active");
    expect(await activeCount([stranger.refund.id, stranger.delivery.id])).toBe(4);
    expect(await prisma.auditEvent.count({ where: { action: "share.revoked", shareId: { in: [org.ids.view, org.ids.takeover] } } })).toBe(2);
  });

  it("revokes the selected links, or nothing when one of them is not the caller's", async () => {
    const org = await organizationWithLinks();
    const stranger = await organizationWithLinks();

    await expectAppError(revokeShares(org.owner.actor, { shareIds: [org.ids.view, stranger.ids.view] }), "not_found");
    expect(await activeCount([org.refund.id, stranger.refund.id])).toBe(6);

    expect(await revokeShares(org.owner.actor, { shareIds: [org.ids.view, org.ids.other] })).toEqual({ revoked: 2 });
    expect(await activeCount([org.refund.id, org.delivery.id])).toBe(2);
  });

  it("lets no VIEWER, OPERATOR or other organization revoke, changing nothing", async () => {
    const org = await organizationWithLinks();
    const viewer = await createMember(org.organization.id, "VIEWER");
    const operator = await createMember(org.organization.id, "OPERATOR");
    const stranger = await createOrganization();

    await expectAppError(revokeShares(viewer.actor, { filter: {} }), "forbidden");
    await expectAppError(revokeShares(operator.actor, { shareIds: [org.ids.view] }), "forbidden");
    await expectAppError(revokeShares(stranger.owner.actor, { shareIds: [org.ids.view] }), "not_found");
    expect(await revokeShares(stranger.owner.actor, { filter: {} })).toEqual({ revoked: 0 });
    expect(await activeCount([org.refund.id, org.delivery.id])).toBe(4);
  });

  it("refuses an empty selection and a malformed filter", async () => {
    const org = await organizationWithLinks();
    await expectAppError(revokeShares(org.owner.actor, { shareIds: [] }), "bad_request");
    await expectAppError(revokeShares(org.owner.actor, { filter: { status: "everything" } as never }), "bad_request");
    expect(await activeCount([org.refund.id, org.delivery.id])).toBe(4);
  });

  it("revokes each link exactly once when two revoke-alls race", async () => {
    const org = await createOrganization();
    const { conversation } = await createConversation(org.bot.id, [{}]);
    const second = (await createConversation(org.bot.id, [{}])).conversation;
    for (let index = 0; index < 6; index += 1) await shareOf(org, index % 2 === 0 ? conversation.id : second.id, { mode: index % 3 === 0 ? "TAKEOVER" : "VIEW" });

    const results = await Promise.all([revokeShares(org.owner.actor, { filter: {} }), revokeShares(org.owner.actor, { filter: {} })]);

    expect(results[0].revoked + results[1].revoked).toBe(6);
    expect(await activeCount([conversation.id, second.id])).toBe(0);
    const audited = await prisma.auditEvent.count({ where: { action: "share.revoked", conversationId: { in: [conversation.id, second.id] } } });
    expect(audited).toBe(6);
  });
});
