// GET /share/<id>/files/<fileId> — download one file of a shared conversation
import { findAttachment } from "@/lib/conversations/queries";
import { fileDownloadResponse } from "@/lib/files/responses";
import { idSchema, shareNotAvailableResponse } from "@/lib/http";
import { loadShare } from "../../load-share";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string; fileId: string }> }) {
  const { id, fileId } = await params;
  const parsedFileId = idSchema.safeParse(fileId);
  const share = await loadShare(id);
  if (!share || !parsedFileId.success) return shareNotAvailableResponse();
  const attachment = await findAttachment(share.actor, share.actor.conversationId, parsedFileId.data);
  if (!attachment) return shareNotAvailableResponse();
  return fileDownloadResponse(attachment);
}
