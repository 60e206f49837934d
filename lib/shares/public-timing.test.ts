/**
 * The "link not available" answer must not tell an unknown id from a revoked, expired or
 * not-permitted one, not even by how long it takes: every such lookup runs the same SQL.
 */
import { describe, expect, it } from "vitest";
import { ANONYMOUS } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import { openShare } from "@/lib/shares/public";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { logStatements } from "@/lib/testing/statement-log";

const statements = logStatements();

/** The statements one lookup runs, with parameters and literals blanked. */
async function statementsOf(lookup: () => Promise<unknown>): Promise<string[]> {
  statements.length = 0;
  expect(await lookup()).toBeNull();
  return statements.map((sql) => sql.replace(/\$\d+/g, "$").replace(/'[^']*'/g, "''"));
}

describe("openShare for a link that is not available", () => {
  it("runs exactly the same SQL for an unknown, revoked, expired, organization-only and private link", async () => {
    const org = await createOrganization();
    const { conversation } = await createConversation(org.bot.id);
    const share = async (settings: Parameters<typeof createShare>[1]["settings"]) =>
      (await createShare(org.owner.actor, { conversationId: conversation.id, settings, regenerate: true })).share;
    const revoked = await share({});
    await revokeShare(org.owner.actor, { shareId: revoked.id });
    const expired = await share({ validityHours: 1 });
    await prisma.share.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const organizationOnly = await share({ visibility: "ORGANIZATION" });
    const privateLink = await share({ visibility: "PRIVATE" });

    const unknown = await statementsOf(() => openShare("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ANONYMOUS));
    expect(unknown.length).toBeGreaterThan(0);
    for (const link of [revoked, expired, organizationOnly, privateLink]) {
      expect(await statementsOf(() => openShare(link.publicId, ANONYMOUS)), link.visibility).toEqual(unknown);
    }
  });
});
