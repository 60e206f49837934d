import { describe, expect, it } from "vitest";
import { updateBotFlow } from "@/lib/bots/mutations";
import { findBot, listBots, listTransferTargets } from "@/lib/bots/queries";
import { prisma } from "@/lib/db";
import { createMember, createOrganization } from "@/lib/testing/fixtures";
import { expectAppError } from "@/lib/testing/assertions";

const VALID_FLOW = {
  rules: [
    { name: "refund", match: { type: "keyword", keywords: ["refund"] }, actions: [{ type: "send_text", text: "Refunds take 5 days." }] },
    { match: { type: "fallback" }, actions: [{ type: "send_text", text: "Hi {{contact_name}}" }] },
  ],
};

const storedFlow = async (botId: string) => (await prisma.bot.findUniqueOrThrow({ where: { id: botId } })).flow;

describe("updateBotFlow", () => {
  it("saves a valid flow and records who changed it", async () => {
    const { owner, bot, organization } = await createOrganization();

    const result = await updateBotFlow(owner.actor, { botId: bot.id, flowJson: JSON.stringify(VALID_FLOW, null, 2) });

    expect(result).toEqual({ botId: bot.id, ruleCount: 2 });
    expect(await storedFlow(bot.id)).toEqual(VALID_FLOW);
    expect(await prisma.auditEvent.count({ where: { organizationId: organization.id, action: "bot.flow_updated" } })).toBe(1);
    expect(JSON.parse((await findBot(owner.actor, bot.id))!.flowJson)).toEqual(VALID_FLOW);
  });

  it("says where the JSON is broken and writes nothing", async () => {
    const { owner, bot } = await createOrganization();

    const missingComma = await expectAppError(
      updateBotFlow(owner.actor, { botId: bot.id, flowJson: '{\n  "rules": [\n    {"match": {"type": "fallback"}}\n    {}\n  ]\n}' }),
      "bad_request",
    );
    expect(missingComma.message).toMatch(/^Invalid JSON at line 4, column 5: /);
    expect(missingComma.fieldErrors?.flowJson).toHaveLength(1);

    const strayToken = await expectAppError(updateBotFlow(owner.actor, { botId: bot.id, flowJson: '{"rules": }' }), "bad_request");
    expect(strayToken.message).toMatch(/^Invalid JSON at line 1, column 11: Unexpected token/);

    const unclosed = await expectAppError(updateBotFlow(owner.actor, { botId: bot.id, flowJson: '{"rules": [' }), "bad_request");
    expect(unclosed.message).toMatch(/line 1, column 12: The JSON ends too early/);

    expect(await storedFlow(bot.id)).toEqual({ rules: [] });
  });

  it("reports each problem of an invalid flow by its place in the document and writes nothing", async () => {
    const { owner, bot } = await createOrganization();
    const flow = {
      rules: [
        VALID_FLOW.rules[0],
        { match: { type: "regex", pattern: "order (#" }, actions: [{ type: "send_text", text: "x" }] },
        { match: { type: "fallback" }, actions: [] },
      ],
    };

    const error = await expectAppError(updateBotFlow(owner.actor, { botId: bot.id, flowJson: JSON.stringify(flow) }), "bad_request");

    expect(error.message).toBe("The flow has 2 problems.");
    expect(error.fieldErrors?.["rules[1].match.pattern"]?.[0]).toMatch(/not a valid RE2 regular expression/);
    expect(error.fieldErrors?.["rules[2].actions"]).toEqual(["A rule needs at least one action."]);
    expect(await storedFlow(bot.id)).toEqual({ rules: [] });
  });

  it("refuses a transfer to a bot that is not another bot of the same organization, and lists the ones it may name", async () => {
    const { owner, bot, organization } = await createOrganization();
    const billing = await prisma.bot.create({ data: { organizationId: organization.id, name: "Billing" } });
    const elsewhere = await createOrganization();
    const transferTo = (...targets: string[]) =>
      JSON.stringify({
        rules: targets.map((targetBotId, index) => ({
          match: { type: "keyword", keywords: [`word${index}`] },
          actions: [{ type: "send_text", text: "Passing you on." }, { type: "transfer_control", targetBotId }],
        })),
      });

    const error = await expectAppError(
      updateBotFlow(owner.actor, { botId: bot.id, flowJson: transferTo(billing.id, "no-such-bot", elsewhere.bot.id, bot.id) }),
      "bad_request",
    );

    expect(error.message).toBe("The flow has 3 problems.");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["rules[1].actions[1].targetBotId", "rules[2].actions[1].targetBotId", "rules[3].actions[1].targetBotId"]);
    expect(error.fieldErrors?.["rules[1].actions[1].targetBotId"]?.[0]).toBe(
      `No other bot of this organization has the id "no-such-bot". Bots you can transfer to: Billing ("${billing.id}").`,
    );
    expect(error.fieldErrors?.["rules[3].actions[1].targetBotId"]?.[0]).toMatch(/^A bot cannot transfer to itself\./);
    expect(await storedFlow(bot.id)).toEqual({ rules: [] });

    await expect(updateBotFlow(owner.actor, { botId: bot.id, flowJson: transferTo(billing.id) })).resolves.toEqual({ botId: bot.id, ruleCount: 1 });
  });

  it("answers not_found for another organization's bot", async () => {
    const mine = await createOrganization();
    const theirs = await createOrganization();

    await expectAppError(updateBotFlow(mine.owner.actor, { botId: theirs.bot.id, flowJson: JSON.stringify(VALID_FLOW) }), "not_found");

    expect(await storedFlow(theirs.bot.id)).toEqual({ rules: [] });
    expect(await findBot(mine.owner.actor, theirs.bot.id)).toBeNull();
    expect((await listBots(mine.owner.actor)).map((b) => b.id)).toEqual([mine.bot.id]);
  });

  it("forbids viewers and operators, who may still read the bot", async () => {
    const { organization, bot } = await createOrganization();
    for (const role of ["VIEWER", "OPERATOR"] as const) {
      const member = await createMember(organization.id, role);
      await expectAppError(updateBotFlow(member.actor, { botId: bot.id, flowJson: JSON.stringify(VALID_FLOW) }), "forbidden");
      expect((await findBot(member.actor, bot.id))?.canEdit).toBe(false);
    }
    expect(await storedFlow(bot.id)).toEqual({ rules: [] });
  });

  it("lets an admin save", async () => {
    const { organization, bot } = await createOrganization();
    const admin = await createMember(organization.id, "ADMIN");
    await updateBotFlow(admin.actor, { botId: bot.id, flowJson: JSON.stringify(VALID_FLOW) });
    expect(await storedFlow(bot.id)).toEqual(VALID_FLOW);
  });
});

describe("listTransferTargets", () => {
  it("lists the other bots of the bot's organization, by name, and nothing for a stranger", async () => {
    const { organization, owner, bot } = await createOrganization();
    const billing = await prisma.bot.create({ data: { organizationId: organization.id, name: "A billing bot" } });
    const other = await createOrganization();

    expect(await listTransferTargets(owner.actor, bot)).toEqual([{ id: billing.id, name: "A billing bot" }]);
    expect(await listTransferTargets(other.owner.actor, bot)).toEqual([]);
  });
});
