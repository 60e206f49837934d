import "server-only";
import { assertBotScope, userActorForApi, type ApiActor } from "@/lib/api/auth";
import type { UserActor } from "@/lib/auth/actor";
import { assertConversationPermission, conversationScope, type ConversationPermission } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ownerShareSelect, toOwnerShare, type OwnerShare } from "@/lib/shares/queries";

/**
 * The member an API caller acts as, once it may act on a conversation of this bot in this
 * organization: a bot token only on its own bot's conversations (404 otherwise, as for anything
 * outside the caller's organizations), then the member's role (403).
 */
async function authorizeForConversation(
  actor: ApiActor,
  user: UserActor,
  conversation: { botId: string; organizationId: string },
  permission: ConversationPermission,
) {
  if (actor.kind === "bot") await assertBotScope(actor, conversation.botId);
  assertConversationPermission(user, conversation.organizationId, permission);
}

/** Authorizes an API caller on a conversation; 404 for one it may not see. */
export async function authorizeApiConversation(
  actor: ApiActor,
  conversationId: string,
  permission: ConversationPermission,
): Promise<UserActor> {
  const user = await userActorForApi(actor);
  const conversation = await prisma.conversation.findFirst({
    where: { id: conversationId, ...conversationScope(user, "read") },
    select: { botId: true, bot: { select: { organizationId: true } } },
  });
  if (!conversation) throw new AppError("not_found", "Conversation not found.");
  await authorizeForConversation(actor, user, { botId: conversation.botId, organizationId: conversation.bot.organizationId }, permission);
  return user;
}

/** A share by its public id, for an API caller allowed to manage it; 404 for anyone else. */
export async function loadApiShare(actor: ApiActor, publicId: string): Promise<{ user: UserActor; share: OwnerShare }> {
  const user = await userActorForApi(actor);
  // A bot token's scope is in the where too: another bot's share must answer exactly like an
  // unknown one, not "Conversation not found." (which told a token that the share id exists).
  const botScope = actor.kind === "bot" ? { botId: actor.botId } : {};
  const row = await prisma.share.findFirst({
    where: { publicId, conversation: { ...conversationScope(user, "read"), ...botScope } },
    select: { ...ownerShareSelect, conversation: { select: { botId: true, bot: { select: { organizationId: true } } } } },
  });
  if (!row) throw new AppError("not_found", "Share not found.");
  const { conversation, ...share } = row;
  await authorizeForConversation(actor, user, { botId: conversation.botId, organizationId: conversation.bot.organizationId }, "share");
  return { user, share: toOwnerShare(share) };
}
