// GET /share/<id>/files/<fileId> — download one file of a shared conversation
import { findAttachment } from "@/lib/conversations/queries";
import { fileDownloadResponse } from "@/lib/files/responses";
import { idSchema, shareNotAvailableResponse } from "@/lib/http";
import { loadShare } from "../../load-share";

export async function GET(request: Request, { params }: { params: Promise<{ id: string; fileId: string }> }) {
  const { id, fileId } = await params;
  const parsedFileId = idSchema.safeParse(fileId);
  const share = await loadShare(id);
  if (!share || !parsedFileId.success) return shareNotAvailableResponse();
  const attachment = await findAttachment(share.access.filter, parsedFileId.data);
  if (!attachment) return shareNotAvailableResponse();
  // Bytes missing from storage get the same answer as a link that does not exist.
  return (await fileDownloadResponse(attachment, { rangeHeader: request.headers.get("range") })) ?? shareNotAvailableResponse();
}
