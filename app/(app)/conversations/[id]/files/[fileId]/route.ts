// GET /conversations/<id>/files/<fileId> — a member downloads one file of their conversation
import { findAttachment } from "@/lib/conversations/queries";
import { AppError } from "@/lib/errors";
import { fileDownloadResponse } from "@/lib/files/responses";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { loadReadableConversation } from "../../load-conversation";

export async function GET(request: Request, { params }: { params: Promise<{ id: string; fileId: string }> }) {
  const { id, fileId } = await params;
  const parsedFileId = idSchema.safeParse(fileId);
  const reader = await loadReadableConversation(id);
  const attachment = reader && parsedFileId.success ? await findAttachment(reader.actor, reader.conversationId, parsedFileId.data) : null;
  if (!attachment) return jsonErrorResponse(new AppError("not_found", "File not found."));
  // Bytes missing from storage: the same 404, before any byte is sent.
  return (await fileDownloadResponse(attachment, { rangeHeader: request.headers.get("range") })) ?? jsonErrorResponse(new AppError("not_found", "File not found."));
}
