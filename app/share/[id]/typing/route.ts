// POST /share/<id>/typing — the operator holding the conversation through this link is typing
// GET  /share/<id>/typing — Server-Sent Events: the contact's typing, for that operator only
import { contactTypingStream, operatorTypingResponse } from "@/lib/presence/routes";
import { loadShareForRoute } from "../load-share";

type Params = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Params) {
  const share = await loadShareForRoute((await params).id);
  if (share instanceof Response) return share;
  return operatorTypingResponse(request, share.actor, share.actor.conversationId);
}

export async function GET(request: Request, { params }: Params) {
  const share = await loadShareForRoute((await params).id);
  if (share instanceof Response) return share;
  return contactTypingStream(request, share.actor, share.actor.conversationId);
}
