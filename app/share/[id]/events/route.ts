// GET /share/<id>/events — Server-Sent Events of a full share: new messages and control changes
import { getActor } from "@/lib/auth/current-actor";
import { conversationEventStream, resumeAfter } from "@/lib/events/sse";
import { shareNotAvailableResponse } from "@/lib/http";
import { openShare } from "@/lib/shares/public";
import { loadShareForRoute } from "../load-share";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  // Streams opening together share one read of the link: the stream checks the link again before
  // its first event and on every wake-up (accept below), so a read begun before a revocation
  // committed shows nothing.
  const share = await loadShareForRoute(id, { joinReadUnderWay: true });
  if (share instanceof Response) return share;
  // A partial share is a fixed excerpt: it has no live stream (whose control events would tell
  // who took the conversation over, and when).
  if (share.actor.partial) return shareNotAvailableResponse();
  return conversationEventStream(request, share.actor.conversationId, {
    afterId: resumeAfter(request),
    // A link revoked (which announces itself) or expired while someone watches stops streaming at
    // the next wake-up. Viewers of the same kind share one check per wake-up: the answer depends on
    // the link and on who is signed in, never on the stream.
    accept: async () => (await openShare(id, actor)) !== null,
    // What the contact has seen is for whoever may operate the chat, not for a view-only link.
    project: (event) => (event.type === "read" && share.actor.mode === "VIEW" ? null : event),
    acceptKey: `share:${id}:${actor.kind === "user" ? actor.userId : actor.kind}`,
  });
}
