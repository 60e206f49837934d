import type { Actor } from "@/lib/auth/actor";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Who did it, as the audit trail stores it. Public surfaces show `name` only. */
export type AuditActor =
  | { type: "user"; userId: string; name: string }
  | { type: "share"; name: string }
  | { type: "bot"; name: string }
  | { type: "contact"; name: string }
  | { type: "system"; name: string };

export type AuditEntry = {
  organizationId: string;
  conversationId?: string;
  shareId?: string;
  actor: AuditActor;
  /** share.created, share.updated, share.revoked, takeover.started, takeover.ended, … */
  action: string;
  data?: Prisma.InputJsonValue;
};

/** Writes one audit event inside the caller's transaction, so it exists exactly when the change does. */
export function recordAuditEvent(tx: Prisma.TransactionClient, entry: AuditEntry) {
  return tx.auditEvent.create({
    data: {
      organizationId: entry.organizationId,
      conversationId: entry.conversationId,
      shareId: entry.shareId,
      actorType: entry.actor.type,
      actorUserId: entry.actor.type === "user" ? entry.actor.userId : null,
      actorName: entry.actor.name,
      action: entry.action,
      data: entry.data ?? {},
    },
  });
}

const SYSTEM_AUDIT_ACTOR: AuditActor = { type: "system", name: "Switchboard" };

/**
 * How the audit trail names an actor: the member, the bot (its token or its flow), the operator
 * of a share link (by the display name they gave, or as the member who opened it), the contact,
 * or the system. `displayName` overrides the name where the actor chose one (an operator's).
 */
export function auditActorOf(actor: Actor, displayName?: string): AuditActor {
  switch (actor.kind) {
    case "user":
      return { type: "user", userId: actor.userId, name: displayName ?? actor.name };
    case "bot_token":
      return { type: "bot", name: `${actor.name} (bot token)` };
    case "flow":
      return { type: "bot", name: actor.botName };
    case "share_link":
      return actor.viewer.kind === "user" ? auditActorOf(actor.viewer, displayName) : { type: "share", name: displayName ?? "Operator" };
    case "contact":
      return { type: "contact", name: displayName ?? "Contact" };
    case "anonymous":
      return { type: "share", name: displayName ?? "Anonymous" };
    case "system":
      return SYSTEM_AUDIT_ACTOR;
  }
}
