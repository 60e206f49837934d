import "server-only";
import type { MemberRole, Prisma, ShareMode, ShareVisibility } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";

/**
 * Whoever makes a request or runs a job. Every exported mutation and every query of non-public
 * data in lib/<domain>/ takes one and authorizes it through that domain's policy.ts; no kind of
 * caller poses as another (a bot is never a member in disguise).
 */
export type Actor = UserActor | BotTokenActor | FlowActor | ShareLinkActor | ContactActor | AnonymousActor | SystemActor;

/** A signed-in member: who they are and their role in each organization. */
export type UserActor = {
  kind: "user";
  userId: string;
  name: string;
  email: string;
  memberships: { organizationId: string; organizationName: string; role: MemberRole }[];
  /** Set when the member acts through a personal API token rather than a browser session. */
  tokenId?: string;
};

/** A bot's API token: acts for exactly one bot, on that bot's conversations only. */
export type BotTokenActor = { kind: "bot_token"; tokenId: string; botId: string; organizationId: string; name: string };

/** A bot's flow answering a contact: acts on the one conversation it runs in, for its bot. */
export type FlowActor = { kind: "flow"; botId: string; botName: string; organizationId: string; conversationId: string };

/**
 * Someone holding a share link that the share policy has let them open (lib/shares/public.ts
 * `openShare` builds it): reads exactly that conversation (a partial share: its messages only),
 * and operates it when the link is a takeover link. `viewer` is who opened it.
 */
export type ShareLinkActor = {
  kind: "share_link";
  shareId: string;
  conversationId: string;
  organizationId: string;
  mode: ShareMode;
  visibility: ShareVisibility;
  partial: boolean;
  viewer: UserActor | AnonymousActor;
};

/** A contact writing through the web chat (their signed cookie) or a channel: their own conversations. */
export type ContactActor = { kind: "contact"; contactId: string; botId: string };

export type AnonymousActor = { kind: "anonymous" };

/** The app itself: sweepers and retry loops applying what time has already decided. */
export type SystemActor = { kind: "system"; job: string };

export const ANONYMOUS: AnonymousActor = { kind: "anonymous" };

export const systemActor = (job: string): SystemActor => ({ kind: "system", job });

/** What a UserActor is read from: the user and their memberships, oldest first. */
export const memberSelect = {
  id: true,
  name: true,
  email: true,
  memberships: {
    select: { organizationId: true, role: true, organization: { select: { name: true } } },
    orderBy: { createdAt: "asc" },
  },
} as const satisfies Prisma.UserSelect;

/** The actor of a user row read with memberSelect (a session's, or a personal API token's). */
export function toUserActor(user: Prisma.UserGetPayload<{ select: typeof memberSelect }>, tokenId?: string): UserActor {
  return {
    kind: "user",
    userId: user.id,
    name: user.name,
    email: user.email,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationName: m.organization.name,
      role: m.role,
    })),
    ...(tokenId ? { tokenId } : {}),
  };
}

/**
 * The member behind an actor, for what only members do (tokens, bot settings, webhooks): any
 * other kind of caller gets the same "not found" as a member of another organization.
 */
export function memberOrNotFound(actor: Actor, what: string): UserActor {
  if (actor.kind !== "user") throw new AppError("not_found", `${what} not found.`);
  return actor;
}
