// POST /conversations/<id>/typing — the member holding the conversation is typing
// GET  /conversations/<id>/typing — Server-Sent Events: the contact's typing, for that member only
import { getActor } from "@/lib/auth/current-actor";
import { contactTypingStream, operatorTypingResponse } from "@/lib/presence/routes";

type Params = { params: Promise<{ id: string }> };

export async function POST(request: Request, { params }: Params) {
  return operatorTypingResponse(request, await getActor(), (await params).id);
}

export async function GET(request: Request, { params }: Params) {
  return contactTypingStream(request, await getActor(), (await params).id);
}
