import "server-only";
import type { ShareLinkActor } from "@/lib/auth/actor";
import { encodeEntries } from "@/lib/export/formats";
import { messageEntries } from "@/lib/export/queries";
import type { PublicShareView } from "@/lib/shares/public";

/** The name of the transcript in a share's "Download all" ZIP. */
export const SHARE_TRANSCRIPT_NAME = "transcript.md";

/**
 * A share's messages as Markdown, with exactly what its page shows: the share's title and channel,
 * each message's role, time, text and files, an operator's display name. No bot, contact or owner
 * names, no control history, no variables; a partial share's chosen messages only.
 */
export function shareTranscript(actor: ShareLinkActor, view: PublicShareView): AsyncIterable<Uint8Array> {
  const conversation = { id: actor.conversationId, title: view.title, channel: view.channel, botName: "", contactName: "" };
  const entries = messageEntries(actor, conversation, { author: (role, authorName) => (role === "OPERATOR" ? authorName : null) });
  return encodeEntries("md", entries);
}
