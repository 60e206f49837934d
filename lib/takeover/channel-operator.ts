import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { MessageView } from "@/lib/conversations/message-view";
import { LOCKING_TRANSACTION_OPTIONS, lockConversation } from "@/lib/conversations/lock";
import { authorizeConversation, conversationScope } from "@/lib/conversations/policy";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { appendMessage } from "@/lib/messages/append";
import { settleInTransaction } from "@/lib/takeover/expiry";
import { FALLBACK_OPERATOR_NAME, findOpenSession } from "@/lib/takeover/operators";
import { startTakeoverSessionUnchecked } from "@/lib/takeover/start-session";

// A reply typed on the channel itself (the business phone of a WhatsApp number, say) reached the
// contact without us: the bot must fall silent exactly as when an operator writes in a console.

export type ChannelOperatorReply = { contactExternalId: string; text: string; operatorName?: string };

/**
 * Records an operator's reply that arrived through the channel API and holds the conversation
 * for the channel: it takes over from the bot (or continues the channel's own lease, which ends
 * like any other: hand back is the stale timeout). Refused while a console operator holds the
 * chat or it is transferred (409). The actor must write to the conversation (the bot's token).
 */
export async function recordChannelOperatorReply(
  actor: Actor,
  reply: ChannelOperatorReply,
): Promise<{ conversationId: string; messages: MessageView[] }> {
  // Only a channel speaks for the business phone: the bot's own token (see lib/channels/policy.ts).
  if (actor.kind !== "bot_token") throw new AppError("not_found", "Bot not found.");
  const conversation = await prisma.conversation.findFirst({
    where: { AND: [conversationScope(actor, "write"), { contact: { kind: "CHANNEL", externalId: reply.contactExternalId } }] },
    orderBy: [{ lastMessageAt: "desc" }, { id: "desc" }],
    select: { id: true },
  });
  if (!conversation) throw new AppError("not_found", "This contact has no conversation with the bot yet.");
  const conversationId = conversation.id;

  return prisma.$transaction(async (tx) => {
    const { organizationId, channel } = await authorizeConversation(tx, actor, conversationId, "write");
    await lockConversation(tx, conversationId);
    const now = new Date();
    await settleInTransaction(tx, conversationId, now);
    const open = await findOpenSession(tx, conversationId);
    if (open && !open.viaChannel) throw new AppError("conflict", `Taken over by ${open.operatorName}`);
    const name = reply.operatorName ?? open?.operatorName ?? FALLBACK_OPERATOR_NAME;
    if (open) {
      await tx.takeoverSession.update({ where: { id: open.id }, data: { lastActivityAt: now } });
    } else {
      await startTakeoverSessionUnchecked(tx, {
        conversationId,
        organizationId,
        operator: { userId: null, name, shareId: null },
        auditActor: { type: "bot", name: `${name} (on ${channel})` },
        now,
        viaChannel: true,
      });
    }
    // Not sent to the bot's webhook: it came from the channel, and the contact has it already.
    const message = await appendMessage(tx, { conversationId, role: "OPERATOR", text: reply.text, authorName: name });
    return { conversationId, messages: [message] };
  }, LOCKING_TRANSACTION_OPTIONS);
}
