/**
 * Live streams opening together cost the database a few reads of their link, not one each; every
 * other caller reads the link afresh. Counted in statements, not timed.
 */
import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "@/lib/auth/actor";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { openShare } from "@/lib/shares/public";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { logStatements } from "@/lib/testing/statement-log";

const statements = logStatements();

const shareReads = () => statements.filter((sql) => /FROM "Share" s/.test(sql)).length;

async function organizationShare() {
  const org = await createOrganization();
  const { conversation } = await createConversation(org.bot.id, []);
  const { share } = await createShare(org.owner.actor, { conversationId: conversation.id, settings: { visibility: "ORGANIZATION" } });
  return { ...org, share };
}

describe("reads of a share link", () => {
  it("lets viewers opening at once join one read, each judged as themselves, and keeps nothing afterwards", async () => {
    const { share, owner } = await organizationShare();
    statements.length = 0;
    const viewers = [owner.actor, ...Array.from({ length: 9 }, () => ANONYMOUS)];
    const opened = await Promise.all(viewers.map((viewer) => openShare(share.publicId, viewer, { joinReadUnderWay: true })));

    expect(opened.map((result) => result !== null)).toEqual([true, ...Array(9).fill(false)]);
    expect(shareReads()).toBe(1);

    // The next read sees a revocation.
    await revokeShare(owner.actor, { shareId: share.id });
    expect(await openShare(share.publicId, owner.actor, { joinReadUnderWay: true })).toBeNull();
  });

  it("reads the link for each viewer unless asked to join a read under way", async () => {
    const { share, owner } = await organizationShare();
    statements.length = 0;
    await Promise.all(Array.from({ length: 5 }, () => openShare(share.publicId, owner.actor)));
    expect(shareReads()).toBe(5);
  });
});
