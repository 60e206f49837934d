// GET /share/<id>/download — every file of the share and its transcript as one streamed ZIP ("Download all")
import { iterateAttachments } from "@/lib/conversations/queries";
import { SHARE_TRANSCRIPT_NAME, shareTranscript } from "@/lib/export/share-transcript";
import { zipDownloadResponse } from "@/lib/files/zip";
import { loadShareForRoute } from "../load-share";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  return zipDownloadResponse(`${share.view.title}.zip`, iterateAttachments(share.actor, share.actor.conversationId), [
    { fileName: SHARE_TRANSCRIPT_NAME, content: shareTranscript(share.actor, share.view) },
  ]);
}
