// GET /conversations/<id>/download — a member downloads every file of their conversation as a ZIP
import { iterateAttachments } from "@/lib/conversations/queries";
import { AppError } from "@/lib/errors";
import { zipDownloadResponse } from "@/lib/files/zip";
import { jsonErrorResponse } from "@/lib/http";
import { loadReadableConversation } from "../load-conversation";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const reader = await loadReadableConversation((await params).id);
  if (!reader) return jsonErrorResponse(new AppError("not_found", "Conversation not found."));
  return zipDownloadResponse(`${reader.title}.zip`, iterateAttachments(reader.actor, reader.conversationId));
}
