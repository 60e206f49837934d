// GET /conversations/<id>/events — Server-Sent Events of a conversation for its members
import { getActor } from "@/lib/auth/current-actor";
import { findConversation } from "@/lib/conversations/queries";
import { AppError } from "@/lib/errors";
import { conversationEventStream, resumeAfter } from "@/lib/events/sse";
import { jsonErrorResponse } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  const conversation = await findConversation(actor, id);
  if (!conversation) return jsonErrorResponse(new AppError("not_found", "Conversation not found."));
  return conversationEventStream(request, conversation.id, { afterId: resumeAfter(request) });
}
