// GET /share/<id>/events — Server-Sent Events of a full share: new messages and control changes
import { getActor } from "@/lib/auth/actor";
import { conversationEventStream, resumeAfter } from "@/lib/events/sse";
import { openShare } from "@/lib/shares/public";
import { loadShareForRoute } from "../load-share";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  const partial = share.view.shareType === "PARTIAL";
  return conversationEventStream(request, share.access.filter.conversationId, {
    afterId: resumeAfter(request),
    // A link revoked or expired while someone watches stops streaming at the next event.
    accept: async () => (await openShare(id, actor)) !== null,
    // A partial share shows exactly the chosen messages: no new ones.
    project: (event) => (partial && event.type === "message" ? null : event),
  });
}
