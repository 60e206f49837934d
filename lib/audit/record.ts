import type { Prisma } from "@/lib/generated/prisma/client";

/** Who did it, as the audit trail stores it. Public surfaces show `name` only. */
export type AuditActor =
  | { type: "user"; userId: string; name: string }
  | { type: "share"; name: string }
  | { type: "bot"; name: string }
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

export const userAuditActor = (actor: { userId: string; name: string }): AuditActor => ({
  type: "user",
  userId: actor.userId,
  name: actor.name,
});
