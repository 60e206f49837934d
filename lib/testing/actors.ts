import { ANONYMOUS, type AnonymousActor, type BotTokenActor, type ContactActor, type ShareLinkActor, type UserActor } from "@/lib/auth/actor";
import { postContactMessage } from "@/lib/chat/mutations";
import type { ContactMessageInput } from "@/lib/chat/schemas";
import { prisma } from "@/lib/db";
import { createMember, createOrganization } from "@/lib/testing/fixtures";
import { createBotTokenUnchecked } from "@/lib/tokens/mutations";

const operators = new Map<string, Promise<UserActor>>();

/**
 * An OPERATOR member of the conversation's organization (one per organization per test file), or
 * of a new organization for an id that names no conversation: an actor that may operate it.
 */
export async function operatorOf(conversationId: string): Promise<UserActor> {
  const conversation = await prisma.conversation.findUnique({ where: { id: conversationId }, select: { bot: { select: { organizationId: true } } } });
  const organizationId = conversation?.bot.organizationId ?? (await createOrganization()).organization.id;
  if (!operators.has(organizationId)) operators.set(organizationId, createMember(organizationId, "OPERATOR", "Operator").then((member) => member.actor));
  return operators.get(organizationId)!;
}

/**
 * The actor of someone holding this share's link, as lib/shares/public.ts openShare would make it,
 * but without its checks: tests of the mutations' own checks pass revoked or expired links too.
 */
export async function shareLinkActor(share: { id: string }, viewer: UserActor | AnonymousActor = ANONYMOUS): Promise<ShareLinkActor> {
  const row = await prisma.share.findUniqueOrThrow({
    where: { id: share.id },
    select: { id: true, conversationId: true, mode: true, visibility: true, shareType: true, conversation: { select: { bot: { select: { organizationId: true } } } } },
  });
  return {
    kind: "share_link",
    shareId: row.id,
    conversationId: row.conversationId,
    organizationId: row.conversation.bot.organizationId,
    mode: row.mode,
    visibility: row.visibility,
    partial: row.shareType === "PARTIAL",
    viewer,
  };
}

/**
 * Posts as the web chat does for the contact whose cookie names `contactExternalId`: as that WEB
 * contact once it exists, else as a new visitor (anonymous), whose server-made id the test then
 * renames to its own so it can write again as the same contact. A refused first message writes
 * nothing, as in the browser.
 */
export async function postAsWebContact(
  input: Omit<ContactMessageInput, "channel"> & { contactExternalId: string },
  options?: Parameters<typeof postContactMessage>[2],
) {
  const existing = await prisma.contact.findFirst({
    where: { botId: input.botId, kind: "WEB", externalId: input.contactExternalId },
    select: { id: true },
  });
  const actor: ContactActor | AnonymousActor = existing ? { kind: "contact", contactId: existing.id, botId: input.botId } : ANONYMOUS;
  const result = await postContactMessage(actor, input, options);
  if (!existing) {
    await prisma.contact.updateMany({
      where: { botId: input.botId, kind: "WEB", externalId: result.contactExternalId },
      data: { externalId: input.contactExternalId },
    });
  }
  return { ...result, contactExternalId: input.contactExternalId };
}

const channelTokens = new Map<string, Promise<BotTokenActor>>();

/** The bot's own token as an actor (one real token per bot per test file). */
export function botTokenActor(botId: string): Promise<BotTokenActor> {
  if (!channelTokens.has(botId)) {
    channelTokens.set(
      botId,
      createBotTokenUnchecked(botId).then((created) => ({
        kind: "bot_token" as const,
        tokenId: created.item.id,
        botId,
        organizationId: "",
        name: created.item.name,
      })),
    );
  }
  return channelTokens.get(botId)!;
}

/** Posts as a channel does, through the bot's own token (a CHANNEL contact). */
export async function postAsChannel(input: ContactMessageInput & { contactExternalId: string }, options?: Parameters<typeof postContactMessage>[2]) {
  return postContactMessage(await botTokenActor(input.botId), input, options);
}
