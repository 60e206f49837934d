import "server-only";
import type { Actor, UserActor } from "@/lib/auth/actor";
import type { MemberRole, Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/**
 * What a caller wants to do with a conversation:
 * - read: its header, messages, files and events;
 * - share: create, change and revoke its links;
 * - operate: take it over from the bot, write as an operator, hand it back;
 * - write: post a contact's message into it (the contact, or a channel through the bot's token).
 */
export type ConversationPermission = "read" | "share" | "operate" | "write";

const ROLES_ALLOWED: Record<ConversationPermission, readonly MemberRole[]> = {
  read: ["OWNER", "ADMIN", "OPERATOR", "VIEWER"],
  share: ["OWNER", "ADMIN"],
  operate: ["OWNER", "ADMIN", "OPERATOR"],
  // Members answer through a takeover (operate), never as the contact.
  write: [],
};

/** What a bot token and a bot flow may do on their own bot's conversations. */
const BOT_PERMISSIONS: readonly ConversationPermission[] = ["read", "share", "write"];

/** Matches no row: what a caller with no right at all gets in its `where`. */
const NOTHING = { id: { in: [] } } satisfies Prisma.ConversationWhereInput;

export function organizationIdsFor(actor: Actor, permission: ConversationPermission): string[] {
  if (actor.kind !== "user") return [];
  return actor.memberships
    .filter((membership) => ROLES_ALLOWED[permission].includes(membership.role))
    .map((membership) => membership.organizationId);
}

/**
 * A `where` matching exactly the conversations this actor may act on this way, for every kind of
 * actor: members → their organizations' bots (by role); a bot token → its bot; a flow → the one
 * conversation it runs in; a share link → its conversation (operate only through a takeover link
 * of the whole conversation); a contact → their own conversations and those they were transferred
 * to; anonymous → none; the system → all. Combine it with other conditions through `AND`
 * (scopedConversation), never by spreading: a spread `id` would replace the caller's own.
 */
export function conversationScope(actor: Actor, permission: ConversationPermission): Prisma.ConversationWhereInput {
  switch (actor.kind) {
    case "user":
      return { bot: { organizationId: { in: organizationIdsFor(actor, permission) } } };
    case "bot_token":
      return BOT_PERMISSIONS.includes(permission) ? { botId: actor.botId } : NOTHING;
    case "flow":
      return BOT_PERMISSIONS.includes(permission) ? { id: actor.conversationId, botId: actor.botId } : NOTHING;
    case "share_link":
      if (permission === "read") return { id: actor.conversationId };
      if (permission === "operate" && actor.mode !== "VIEW" && !actor.partial) return { id: actor.conversationId };
      return NOTHING;
    case "contact":
      if (permission !== "read" && permission !== "write") return NOTHING;
      return {
        OR: [{ contactId: actor.contactId }, { transfersIn: { some: { source: { contactId: actor.contactId } } } }],
      };
    case "anonymous":
      return NOTHING;
    case "system":
      return {};
  }
}

/**
 * Whether the actor sees conversations as their organization does (lists, headers with the
 * contact's channel id): members, the bot's own token, the system. Share links and contacts read
 * only the views built for them (the public share DTO, the web chat).
 */
export function readsAsOrganization(actor: Actor): boolean {
  return actor.kind === "user" || actor.kind === "bot_token" || actor.kind === "system";
}

/** The conversation `id`, if the actor may act on it this way. */
export function scopedConversation(actor: Actor, conversationId: string, permission: ConversationPermission): Prisma.ConversationWhereInput {
  return { AND: [{ id: conversationId }, conversationScope(actor, permission)] };
}

/**
 * Which of a readable conversation's messages the actor sees: a partial share's own messages,
 * everything for anyone else who may read the conversation.
 */
export function messageScope(actor: Actor): Prisma.MessageWhereInput {
  return actor.kind === "share_link" && actor.partial ? { shareMessages: { some: { shareId: actor.shareId } } } : {};
}

/** The facts about a conversation that the callers of authorizeConversation need. */
export type AuthorizedConversation = { id: string; botId: string; organizationId: string; channel: string };

/**
 * Loads the conversation if the actor may act on it this way, else throws: "not found" for a
 * conversation the actor cannot even read (it might as well not exist), "forbidden" for a member
 * whose role reads it but may not do this. Pass the transaction to authorize inside it.
 */
export async function authorizeConversation(
  db: Prisma.TransactionClient,
  actor: Actor,
  conversationId: string,
  permission: ConversationPermission,
): Promise<AuthorizedConversation> {
  const select = { id: true, botId: true, channel: true, bot: { select: { organizationId: true } } } as const;
  const row = await db.conversation.findFirst({ where: scopedConversation(actor, conversationId, permission), select });
  if (row) return { id: row.id, botId: row.botId, channel: row.channel, organizationId: row.bot.organizationId };
  if (actor.kind === "user" && permission !== "read") {
    const readable = await db.conversation.count({ where: scopedConversation(actor, conversationId, "read") });
    if (readable > 0) throw new AppError("forbidden", "Your role does not allow this.");
  }
  throw new AppError("not_found", "Conversation not found.");
}

/** Throws unless the member may act this way in the organization (404 outside it, 403 for their role). */
export function assertOrganizationPermission(actor: UserActor, organizationId: string, permission: ConversationPermission, what = "Conversation") {
  if (!organizationIdsFor(actor, "read").includes(organizationId)) throw new AppError("not_found", `${what} not found.`);
  if (!organizationIdsFor(actor, permission).includes(organizationId)) throw new AppError("forbidden", "Your role does not allow this.");
}
