// GET /conversations/<id>/download — a member downloads every file of their conversation as a ZIP
import { findConversation, iterateAttachments } from "@/lib/conversations/queries";
import { getActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { zipDownloadResponse } from "@/lib/files/zip";
import { jsonErrorResponse } from "@/lib/http";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const conversation = await findConversation(await getActor(), id);
  if (!conversation) return jsonErrorResponse(new AppError("not_found", "Conversation not found."));
  return zipDownloadResponse(`${conversation.title}.zip`, iterateAttachments({ conversationId: conversation.id }));
}
