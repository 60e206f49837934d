// GET /share/<id>/files/<fileId> — download one file of a shared conversation
import { findAttachment } from "@/lib/conversations/queries";
import { fileDownloadResponse } from "@/lib/files/responses";
import { idSchema, shareNotAvailableResponse } from "@/lib/http";
import { loadShareForRoute } from "../../load-share";

export async function GET(request: Request, { params }: { params: Promise<{ id: string; fileId: string }> }) {
  const { id, fileId } = await params;
  const parsedFileId = idSchema.safeParse(fileId);
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  if (!parsedFileId.success) return shareNotAvailableResponse();
  const attachment = await findAttachment(share.actor, share.actor.conversationId, parsedFileId.data);
  if (!attachment) return shareNotAvailableResponse();
  // Bytes missing from storage get the same answer as a link that does not exist.
  return (await fileDownloadResponse(attachment, { rangeHeader: request.headers.get("range") })) ?? shareNotAvailableResponse();
}
