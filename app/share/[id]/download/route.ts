// GET /share/<id>/download — every file of the share as one streamed ZIP ("Download all")
import { iterateAttachments } from "@/lib/conversations/queries";
import { zipDownloadResponse } from "@/lib/files/zip";
import { shareNotAvailableResponse } from "@/lib/http";
import { loadShare } from "../load-share";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShare(id);
  if (!share) return shareNotAvailableResponse();
  return zipDownloadResponse(`${share.view.title}.zip`, iterateAttachments(share.actor, share.actor.conversationId));
}
