import { ANONYMOUS, type AnonymousActor, type ShareLinkActor, type UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { createMember, createOrganization } from "@/lib/testing/fixtures";

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
