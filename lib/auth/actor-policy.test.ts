/**
 * Every kind of caller against every exported mutation and every query of non-public data: the
 * actors that must be refused are refused (404, or 403 for a member whose role only reads; 401
 * where only a signed-in member may act) and change nothing, and one actor that may act does, so
 * no row can pass by refusing everyone. The mutation table lists every exported function of
 * lib/<domain>/mutations.ts: a new one without a row (or an `…Unchecked` name) fails the suite.
 */
import { describe, expect, it } from "vitest";
import { ANONYMOUS, type Actor, type BotTokenActor, type ContactActor, type FlowActor } from "@/lib/auth/actor";
import * as bots from "@/lib/bots/mutations";
import * as botQueries from "@/lib/bots/queries";
import * as channels from "@/lib/channels/mutations";
import * as chat from "@/lib/chat/mutations";
import * as continuations from "@/lib/continuations/mutations";
import * as conversationQueries from "@/lib/conversations/queries";
import * as exportQueries from "@/lib/export/queries";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import * as inbox from "@/lib/inbox/mutations";
import * as inboxQueries from "@/lib/inbox/queries";
import * as notifications from "@/lib/notifications/mutations";
import * as notificationQueries from "@/lib/notifications/queries";
import * as presence from "@/lib/presence/mutations";
import * as presenceQueries from "@/lib/presence/queries";
import * as organizations from "@/lib/organizations/mutations";
import * as organizationQueries from "@/lib/organizations/queries";
import * as shares from "@/lib/shares/mutations";
import * as shareList from "@/lib/shares/list";
import * as shareQueries from "@/lib/shares/queries";
import * as takeover from "@/lib/takeover/mutations";
import * as takeoverQueries from "@/lib/takeover/queries";
import { shareLinkActor } from "@/lib/testing/actors";
import { collectAsync } from "@/lib/testing/collect";
import { createConversation, createMember, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";
import * as tokens from "@/lib/tokens/mutations";
import * as tokenQueries from "@/lib/tokens/queries";
import * as transfers from "@/lib/transfers/mutations";
import * as transferQueries from "@/lib/transfers/queries";
import * as users from "@/lib/users/mutations";
import * as userQueries from "@/lib/users/queries";
import * as webhooks from "@/lib/webhooks/mutations";
import * as webhookQueries from "@/lib/webhooks/queries";

/**
 * Organization A with an owner, a VIEWER, a bot and a sibling bot, each with a conversation; a
 * view link and a takeover link; A's conversation held by its owner (so refused actors are tried
 * with the holder's own secret); a bot token of A's bot. Organization B with its own conversation.
 */
async function world() {
  const a = await createOrganization();
  const b = await createOrganization();
  const viewer = await createMember(a.organization.id, "VIEWER");
  const sibling = await prisma.bot.create({ data: { organizationId: a.organization.id, name: `Sibling ${a.bot.id}` } });
  const mine = await createConversation(a.bot.id, [{ text: "Hello", files: [{ fileName: "a.txt", bytes: "a" }] }, { text: "Hi" }]);
  // A web-chat contact: it writes as itself.
  await prisma.contact.update({ where: { id: mine.contact.id }, data: { kind: "WEB" } });
  // A channel contact of the same bot: the compatible endpoint finds only channel contacts by id.
  const channel = await createConversation(a.bot.id);
  const siblings = await createConversation(sibling.id);
  // A link whose viewers may continue the conversation (the view link above may not).
  const { share: continueLink } = await shares.createShare(a.owner.actor, { conversationId: channel.conversation.id, settings: { allowContinuation: true } });
  const theirs = await createConversation(b.bot.id);
  const { share: viewShare } = await shares.createShare(a.owner.actor, { conversationId: mine.conversation.id, settings: {} });
  const { share: siblingLink } = await shares.createShare(a.owner.actor, {
    conversationId: siblings.conversation.id,
    settings: { mode: "TAKEOVER" },
  });
  const botToken = await tokens.createBotTokenUnchecked(a.bot.id);
  const siblingToken = await tokens.createBotTokenUnchecked(sibling.id);
  const tokenActor = (token: typeof botToken, botId: string): BotTokenActor => ({
    kind: "bot_token",
    tokenId: token.item.id,
    botId,
    organizationId: a.organization.id,
    name: token.item.name,
  });
  const flowOf = (bot: { id: string; name: string; organizationId: string }, conversationId: string): FlowActor => ({
    kind: "flow",
    botId: bot.id,
    botName: bot.name,
    organizationId: bot.organizationId,
    conversationId,
  });
  const contactOf = (contact: { id: string; botId: string }): ContactActor => ({ kind: "contact", contactId: contact.id, botId: contact.botId });
  // A conversation of the sibling bot was once handed to this one: its owner's page names the peer.
  const peer = await createConversation(sibling.id);
  await prisma.transfer.create({ data: { sourceConversationId: peer.conversation.id, targetConversationId: mine.conversation.id, endedAt: new Date() } });
  const held = await takeover.takeOverConversation(a.owner.actor, { conversationId: mine.conversation.id });
  const operatorMessage = await prisma.message.findFirstOrThrow({ where: { conversationId: mine.conversation.id } });
  const delivery = await prisma.webhookDelivery.create({
    data: { botId: a.bot.id, conversationId: mine.conversation.id, messageId: operatorMessage.id, status: "FAILED" },
  });
  const notification = await prisma.notificationDelivery.create({
    data: { organizationId: a.organization.id, event: "takeover.started", payload: {}, status: "FAILED" },
  });
  return {
    a,
    b,
    mine,
    channel,
    siblings,
    theirs,
    viewShare,
    delivery,
    notification,
    secret: held.secret,
    botToken,
    actors: {
      owner: a.owner.actor,
      viewer: viewer.actor,
      bot: tokenActor(botToken, a.bot.id),
      flow: flowOf(a.bot, mine.conversation.id),
      contact: contactOf(mine.contact),
      viewLink: await shareLinkActor(viewShare),
      continueLink: await shareLinkActor(continueLink),
    },
    refused: {
      "another organization's member": b.owner.actor,
      "a VIEWER": viewer.actor,
      "another bot's token": tokenActor(siblingToken, sibling.id),
      "a flow of another bot": flowOf(sibling, siblings.conversation.id),
      "a flow of another bot claiming this conversation": flowOf(sibling, mine.conversation.id),
      "a share link of another conversation": await shareLinkActor(siblingLink),
      "a view-only link": await shareLinkActor(viewShare),
      "a contact of another conversation": contactOf(siblings.contact),
      anonymous: ANONYMOUS,
    } satisfies Record<string, Actor>,
  };
}

type World = Awaited<ReturnType<typeof world>>;
type RefusedName = keyof World["refused"];

type Row = {
  run: (actor: Actor, w: World) => Promise<unknown>;
  /** An actor that may do it (run on a fresh world, so it must succeed). */
  allowed: (w: World) => Actor;
  /** Refused actors that may in fact do it (e.g. a view link reads). */
  except?: RefusedName[];
};

/** Transfers run inside a flow and take a FlowActor: any other kind cannot even be passed. */
const flowOnly = (actor: Actor): FlowActor => {
  if (actor.kind !== "flow") throw new AppError("not_found", "Only a flow transfers.");
  return actor;
};

// An unknown target: the allowed flow gets "skipped" (a History note), the refused an error.
const TRANSFER = { type: "transfer_control", targetBotId: "unknown-bot" } as const;

/** Every exported function of lib/<domain>/mutations.ts, with how to call it as any actor. */
const MUTATIONS: Record<string, Row> = {
  "shares.createShare": {
    run: (actor, w) => shares.createShare(actor, { conversationId: w.mine.conversation.id, settings: {}, regenerate: true }),
    allowed: (w) => w.actors.owner,
  },
  "shares.createShareInTransaction": {
    run: (actor, w) =>
      prisma.$transaction((tx) => shares.createShareInTransaction(tx, actor, { conversationId: w.mine.conversation.id, settings: {}, regenerate: true })),
    allowed: (w) => w.actors.bot,
  },
  "shares.updateShare": {
    run: (actor, w) => shares.updateShare(actor, { shareId: w.viewShare.id, settings: { visibility: "ORGANIZATION" } }),
    allowed: (w) => w.actors.owner,
  },
  "shares.revokeShare": {
    run: (actor, w) => shares.revokeShare(actor, { shareId: w.viewShare.id }),
    allowed: (w) => w.actors.bot,
  },
  "shares.revokeShares": {
    // Refused actors either throw or revoke nothing: the row counts below must not change.
    run: (actor, w) =>
      shares.revokeShares(actor, { shareIds: [w.viewShare.id] }).then(({ revoked }) => {
        if (revoked === 0) throw new AppError("not_found", "Nothing revoked.");
      }),
    allowed: (w) => w.actors.owner,
  },
  "takeover.takeOverConversation": {
    run: (actor, w) => takeover.takeOverConversation(actor, { conversationId: w.mine.conversation.id }),
    // Held by the owner in every world: the refused are refused before they would conflict.
    allowed: (w) => w.actors.owner,
  },
  "takeover.handBackConversation": {
    run: (actor, w) => takeover.handBackConversation(actor, { conversationId: w.mine.conversation.id, secret: w.secret }),
    allowed: (w) => w.actors.owner,
  },
  "takeover.sendOperatorMessage": {
    run: (actor, w) => takeover.sendOperatorMessage(actor, { conversationId: w.mine.conversation.id, secret: w.secret, text: "hi" }),
    allowed: (w) => w.actors.owner,
  },
  "takeover.endOperatorSession": {
    run: (actor, w) => takeover.endOperatorSession(actor, { conversationId: w.mine.conversation.id }),
    allowed: (w) => w.actors.owner,
  },
  "takeover.forceTakeOver": {
    run: (actor, w) => takeover.forceTakeOver(actor, { conversationId: w.mine.conversation.id }),
    allowed: (w) => w.actors.owner,
  },
  "takeover.requestControl": {
    run: (actor, w) => takeover.requestControl(actor, { conversationId: w.mine.conversation.id, operatorName: "Asker" }),
    allowed: (w) => w.actors.owner,
  },
  "users.updateOperatorName": {
    run: (actor) => users.updateOperatorName(actor, { operatorName: "Ops" }),
    allowed: (w) => w.actors.viewer,
    // Any member names themselves.
    except: ["another organization's member", "a VIEWER"],
  },
  "tokens.createBotToken": {
    run: (actor, w) => tokens.createBotToken(actor, { botId: w.a.bot.id, name: "t" }),
    allowed: (w) => w.actors.owner,
  },
  "tokens.createPersonalToken": {
    run: (actor) => tokens.createPersonalToken(actor, { name: "t" }),
    allowed: (w) => w.actors.viewer,
    // Any member may make a token for themselves.
    except: ["another organization's member", "a VIEWER"],
  },
  "tokens.revokeToken": {
    run: (actor, w) => tokens.revokeToken(actor, { tokenId: w.botToken.item.id }),
    allowed: (w) => w.actors.owner,
  },
  "bots.updateBotFlow": {
    run: (actor, w) => bots.updateBotFlow(actor, { botId: w.a.bot.id, flowJson: '{"rules":[]}' }),
    allowed: (w) => w.actors.owner,
  },
  "webhooks.updateBotWebhook": {
    run: (actor, w) => webhooks.updateBotWebhook(actor, { botId: w.a.bot.id, webhookUrl: "", webhookSecret: "" }),
    allowed: (w) => w.actors.owner,
  },
  "channels.postChannelMessage": {
    run: (actor, w) => channels.postChannelMessage(actor, w.a.bot.id, { contact: { externalId: "c-1" }, text: "hi" }),
    allowed: (w) => w.actors.bot,
  },
  "chat.postContactMessage": {
    run: (actor, w) => chat.postContactMessage(actor, { botId: w.a.bot.id, contactExternalId: w.mine.contact.externalId, text: "hi" }),
    allowed: (w) => w.actors.contact,
    // The web chat is public: a visitor writes as a new contact of their own (never as this one).
    except: ["anonymous"],
  },
  "continuations.continueSharedConversation": {
    run: (actor, w) => continuations.continueSharedConversation(actor, { botId: w.a.bot.id, contact: null }),
    allowed: (w) => w.actors.continueLink,
  },
  "transfers.startTransfer": {
    run: (actor) => prisma.$transaction((tx) => transfers.startTransfer(tx, flowOnly(actor), { action: TRANSFER, contactName: "C" })),
    allowed: (w) => w.actors.flow,
    // A flow acts on the conversation it runs in: another bot's flow on its own is no refusal.
    except: ["a flow of another bot"],
  },
  "transfers.giveBackTransfers": {
    run: (actor) => prisma.$transaction((tx) => transfers.giveBackTransfers(tx, flowOnly(actor))),
    allowed: (w) => w.actors.flow,
    except: ["a flow of another bot"],
  },
  "organizations.updateOrganizationPublicName": {
    run: (actor, w) => organizations.updateOrganizationPublicName(actor, { organizationId: w.a.organization.id, publicName: "Acme Support" }),
    allowed: (w) => w.actors.owner,
  },
  "webhooks.retryWebhookDelivery": {
    run: (actor, w) => webhooks.retryWebhookDelivery(actor, { deliveryId: w.delivery.id }),
    allowed: (w) => w.actors.owner,
  },
  "inbox.markConversationRead": {
    run: (actor, w) => inbox.markConversationRead(actor, { conversationId: w.mine.conversation.id }),
    allowed: (w) => w.actors.owner,
    // Every member who reads the conversation has a read marker of their own.
    except: ["a VIEWER"],
  },
  "notifications.updateNotificationWebhook": {
    run: (actor, w) =>
      notifications.updateNotificationWebhook(actor, { organizationId: w.a.organization.id, webhookUrl: "https://example.com/hook", webhookSecret: "a-secret-of-16-chars" }),
    allowed: (w) => w.actors.owner,
  },
  "notifications.retryNotificationDelivery": {
    run: (actor, w) => notifications.retryNotificationDelivery(actor, { deliveryId: w.notification.id }),
    allowed: (w) => w.actors.owner,
  },
  "presence.reportContactTyping": {
    run: (actor, w) => presence.reportContactTyping(actor, { conversationId: w.mine.conversation.id, typing: true }),
    allowed: (w) => w.actors.contact,
  },
  "presence.reportOperatorTyping": {
    run: (actor, w) => presence.reportOperatorTyping(actor, { conversationId: w.mine.conversation.id, secret: w.secret, typing: true }),
    allowed: (w) => w.actors.owner,
  },
  "presence.markSeenByContact": {
    run: (actor, w) => presence.markSeenByContact(actor, { conversationId: w.mine.conversation.id, messageId: w.mine.messageIds[0] }),
    allowed: (w) => w.actors.contact,
  },
};

/** Exports of the mutation modules that are no mutations: pure helpers and schemas. */
const NOT_MUTATIONS = new Set(["parseJsonText", "parseFlowJson", "maxChannelBodyBytes"]);

const MODULES = { shares, takeover, tokens, bots, webhooks, channels, chat, transfers, users, inbox, notifications, presence, continuations, organizations } as const;

/** A refusal: "not found", a member's role ("forbidden"), or "sign in" where only members act. */
async function expectRefused(promise: Promise<unknown>, who: string) {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error, `${who} must be refused`).toBeInstanceOf(AppError);
  expect(["not_found", "forbidden", "unauthorized"], `${who}: ${(error as AppError).message}`).toContain((error as AppError).code);
}

describe("every exported mutation authorizes every kind of actor", () => {
  it("has a row for each exported function of lib/<domain>/mutations.ts (or says Unchecked in its name)", () => {
    const exported = Object.entries(MODULES).flatMap(([domain, module]) =>
      Object.entries(module)
        .filter(([, value]) => typeof value === "function")
        .map(([name]) => ({ domain, name })),
    );
    const missing = exported
      .filter(({ name }) => !NOT_MUTATIONS.has(name) && !name.endsWith("Unchecked"))
      .map(({ domain, name }) => `${domain}.${name}`)
      .filter((key) => !(key in MUTATIONS));
    expect(missing).toEqual([]);
  });

  // Every row against every refused actor: a long test on a loaded machine (see the timeout).
  it("refuses every actor that may not, changing nothing", async () => {
    const w = await world();
    const orgs = [w.a.organization.id, w.b.organization.id];
    for (const [key, row] of Object.entries(MUTATIONS)) {
      for (const [who, actor] of Object.entries(w.refused)) {
        if (row.except?.includes(who as RefusedName)) continue;
        const before = await organizationRowCounts(orgs);
        await expectRefused(row.run(actor, w), `${key} as ${who}`);
        expect(await organizationRowCounts(orgs), `${key} as ${who} changed nothing`).toEqual(before);
      }
    }
    // Two row-count queries per refusal, for every row and every refused actor: slow on a busy machine.
  }, 120_000);

  it("lets the actor who may act do it", async () => {
    for (const [key, row] of Object.entries(MUTATIONS)) {
      const w = await world();
      if (key === "takeover.takeOverConversation") {
        await takeover.handBackConversation(w.actors.owner, { conversationId: w.mine.conversation.id, secret: w.secret });
      }
      await expect(row.run(row.allowed(w), w), key).resolves.not.toThrow();
    }
    // A fresh world per row: slow on a busy machine.
  }, 120_000);
});

/** Queries of non-public data: what a refused actor gets is nothing (null, empty) or "not found". */
const QUERIES: Record<string, { run: (actor: Actor, w: World) => Promise<unknown>; allowed: (w: World) => Actor; except?: RefusedName[] }> = {
  "conversations.findConversation": { run: (actor, w) => conversationQueries.findConversation(actor, w.mine.conversation.id), allowed: (w) => w.actors.owner, except: ["a VIEWER"] },
  "conversations.listConversations": {
    run: (actor, w) => conversationQueries.listConversations(actor).then((rows) => rows.filter((row) => row.id === w.mine.conversation.id)),
    allowed: (w) => w.actors.bot,
    except: ["a VIEWER"],
  },
  "conversations.listMessagesPage": {
    run: (actor, w) => conversationQueries.listMessagesPage(actor, w.mine.conversation.id).then((page) => page.messages),
    allowed: (w) => w.actors.viewLink,
    except: ["a VIEWER", "a view-only link"],
  },
  "conversations.listAttachments": { run: (actor, w) => conversationQueries.listAttachments(actor, w.mine.conversation.id), allowed: (w) => w.actors.contact, except: ["a VIEWER", "a view-only link"] },
  "conversations.findAttachment": {
    run: (actor, w) => conversationQueries.findAttachment(actor, w.mine.conversation.id, w.mine.attachmentIds[0]),
    allowed: (w) => w.actors.flow,
    except: ["a VIEWER", "a view-only link"],
  },
  "conversations.findContactConversation": { run: (actor, w) => conversationQueries.findContactConversation(actor, w.channel.contact.externalId), allowed: (w) => w.actors.bot, except: ["a VIEWER"] },
  "export.openConversationExport": {
    run: (actor, w) => exportQueries.openConversationExport(actor, w.mine.conversation.id).then(({ entries }) => collectAsync(entries)),
    allowed: (w) => w.actors.bot,
    except: ["a VIEWER"],
  },
  "export.openOrganizationExport": {
    run: (actor, w) =>
      exportQueries.openOrganizationExport(actor, {}).then(async ({ entries }) => (await collectAsync(entries)).filter((entry) => entry.conversationId === w.mine.conversation.id)),
    allowed: (w) => w.actors.owner,
    except: ["a VIEWER"],
  },
  "shares.findActiveShare": { run: (actor, w) => shareQueries.findActiveShare(actor, w.mine.conversation.id), allowed: (w) => w.actors.owner },
  "shares.listShares": {
    run: (actor, w) => shareList.listShares(actor, { filter: { conversationId: w.mine.conversation.id } }).then((page) => page.shares),
    allowed: (w) => w.actors.bot,
  },
  "shares.getManagedShare": { run: (actor, w) => shareQueries.getManagedShare(actor, w.viewShare.publicId), allowed: (w) => w.actors.owner },
  "takeover.getControlState": { run: (actor, w) => takeoverQueries.getControlState(actor, w.mine.conversation.id), allowed: (w) => w.actors.viewLink, except: ["a VIEWER", "a view-only link"] },
  "takeover.listControlHistory": { run: (actor, w) => takeoverQueries.listControlHistory(actor, w.mine.conversation.id), allowed: (w) => w.actors.viewer, except: ["a VIEWER"] },
  "webhooks.listDeliveries": { run: (actor, w) => webhookQueries.listDeliveries(actor, w.mine.conversation.id).then(() => [] as unknown[]), allowed: (w) => w.actors.owner, except: ["a VIEWER", "a view-only link"] },
  "webhooks.getBotWebhook": { run: (actor, w) => webhookQueries.getBotWebhook(actor, w.a.bot.id), allowed: (w) => w.actors.owner },
  "inbox.listInbox": {
    run: (actor, w) => inboxQueries.listInbox(actor).then((rows) => rows.filter((row) => row.id === w.mine.conversation.id)),
    allowed: (w) => w.actors.owner,
    except: ["a VIEWER"],
  },
  "inbox.findInboxItemForMember": {
    run: (actor, w) => inboxQueries.findInboxItemForMember(actor, [w.a.organization.id], w.mine.conversation.id),
    allowed: (w) => w.actors.owner,
    except: ["a VIEWER"],
  },
  "inbox.changedConversationIds": {
    run: (actor, w) => inboxQueries.changedConversationIds(actor, [w.a.organization.id], new Date(0)),
    allowed: (w) => w.actors.owner,
    except: ["a VIEWER"],
  },
  "notifications.getNotificationSettings": { run: (actor, w) => notificationQueries.getNotificationSettings(actor, w.a.organization.id), allowed: (w) => w.actors.owner },
  "bots.findBot": { run: (actor, w) => botQueries.findBot(actor, w.a.bot.id), allowed: (w) => w.actors.owner, except: ["a VIEWER"] },
  "bots.listBots": {
    run: (actor, w) => botQueries.listBots(actor).then((rows) => rows.filter((row) => row.id === w.a.bot.id)),
    allowed: (w) => w.actors.bot,
    except: ["a VIEWER"],
  },
  "users.findOperatorName": {
    run: (actor) => userQueries.findOperatorName(actor),
    allowed: (w) => w.actors.owner,
    // A member reads their own name, whichever organization they are in.
    except: ["another organization's member", "a VIEWER"],
  },
  "organizations.listEditableOrganizations": {
    run: (actor, w) => organizationQueries.listEditableOrganizations(actor).then((rows) => rows.filter((row) => row.id === w.a.organization.id)),
    allowed: (w) => w.actors.owner,
  },
  "tokens.listBotTokens": { run: (actor, w) => tokenQueries.listBotTokens(actor, { botId: w.a.bot.id }), allowed: (w) => w.actors.owner },
  "presence.findOperatorSession": {
    run: (actor, w) => presenceQueries.findOperatorSession(actor, w.mine.conversation.id, w.secret),
    allowed: (w) => w.actors.owner,
  },
  "presence.findContactReadState": {
    run: (actor, w) => presenceQueries.findContactReadState(actor, w.mine.conversation.id),
    allowed: (w) => w.actors.viewLink,
    except: ["a VIEWER", "a view-only link"],
  },
  "transfers.findOpenTransferPeers": {
    run: (actor, w) => transferQueries.findOpenTransferPeers(actor, w.mine.conversation.id).then((peers) => Object.values(peers).filter(Boolean)),
    allowed: (w) => w.actors.owner,
    except: ["a VIEWER"],
  },
};

/** Nothing for the refused: an empty list, null, or a thrown "not found"/"forbidden". */
async function expectNothing(promise: Promise<unknown>, who: string) {
  const result = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if ("error" in result) {
    expect(result.error, who).toBeInstanceOf(AppError);
    expect(["not_found", "forbidden"], who).toContain((result.error as AppError).code);
    return;
  }
  const { value } = result;
  expect(value === null || (Array.isArray(value) && value.length === 0), `${who} must see nothing, saw ${JSON.stringify(value)?.slice(0, 200)}`).toBe(true);
}

describe("every query of non-public data scopes every kind of actor", () => {
  it("shows the refused nothing, and the allowed what is there", async () => {
    const w = await world();
    for (const [key, row] of Object.entries(QUERIES)) {
      for (const [who, actor] of Object.entries(w.refused)) {
        if (row.except?.includes(who as RefusedName)) continue;
        await expectNothing(row.run(actor, w), `${key} as ${who}`);
      }
      const allowed = await row.run(row.allowed(w), w);
      if (key !== "webhooks.listDeliveries") {
        expect(allowed === null || (Array.isArray(allowed) && allowed.length === 0), `${key} shows the allowed actor something`).toBe(false);
      }
    }
  });
});

describe("the public web chat", () => {
  it("lets a visitor write only as a new web contact whose id the server makes, never as an existing contact", async () => {
    const w = await world();
    const before = await prisma.message.count({ where: { conversationId: w.mine.conversation.id } });
    const result = await chat.postContactMessage(ANONYMOUS, { botId: w.a.bot.id, contactExternalId: w.mine.contact.externalId, text: "hi" });
    expect(result.conversationId).not.toBe(w.mine.conversation.id);
    expect(result.contactExternalId).not.toBe(w.mine.contact.externalId);
    expect(result.contactExternalId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await prisma.message.count({ where: { conversationId: w.mine.conversation.id } })).toBe(before);
  });
});
