import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { countAttachments, listAttachments, listMessagesPage } from "@/lib/conversations/queries";
import { latestEventId } from "@/lib/events/subscribe";
import { findContactReadState } from "@/lib/presence/queries";
import { readTakeoverSecret } from "@/lib/takeover/cookie";
import { settleConversation } from "@/lib/takeover/expiry";
import { findActiveSession, getControlState } from "@/lib/takeover/queries";
import { settleTransfers } from "@/lib/transfers/expiry";

/** Files listed on a page; the rest are in Download all. */
const FILES_SHOWN = 200;

/**
 * What a live conversation page renders, for an actor that may read the conversation (a member
 * on the owner's page, a share link on the public page): the newest messages, the files, who is
 * in control, whether this browser holds the takeover, and the event id to follow live updates
 * from. The caller has already found the conversation through the actor.
 */
export async function loadConversationView(actor: Actor, conversationId: string) {
  // The lazy checks: due takeovers and stale transfers end before the page shows who is in control.
  await settleConversation(conversationId);
  await settleTransfers(conversationId);
  const secret = await readTakeoverSecret(conversationId);
  // The event id is read BEFORE the messages: an event written in between is then both in the
  // page and replayed by the stream (the client skips what it has), never in neither.
  const afterEventId = await latestEventId(conversationId);
  const [page, files, fileCount, control, session, readState] = await Promise.all([
    listMessagesPage(actor, conversationId),
    listAttachments(actor, conversationId, { limit: FILES_SHOWN }),
    countAttachments(actor, conversationId),
    getControlState(actor, conversationId),
    secret ? findActiveSession(conversationId, secret) : null,
    findContactReadState(actor, conversationId),
  ]);
  return {
    page,
    files,
    fileCount,
    afterEventId,
    control,
    /** The session this browser holds (its cookie's), if it is the active one. */
    heldSessionId: session?.id ?? null,
    seenMessageId: readState.seenMessageId,
  };
}
