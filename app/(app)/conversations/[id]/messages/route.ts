// GET /conversations/<id>/messages?before=<cursor> — a member's page of earlier messages, as JSON
import { listMessagesPage } from "@/lib/conversations/queries";
import { AppError } from "@/lib/errors";
import { beforeCursorSchema, jsonErrorResponse } from "@/lib/http";
import { loadReadableConversation } from "../load-conversation";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const before = beforeCursorSchema.safeParse(new URL(request.url).searchParams.get("before"));
  if (!before.success) return jsonErrorResponse(new AppError("bad_request", before.error.issues[0].message));
  const reader = await loadReadableConversation(id);
  if (!reader) return jsonErrorResponse(new AppError("not_found", "Conversation not found."));
  return Response.json(await listMessagesPage(reader.actor, reader.conversationId, { before: before.data }));
}
