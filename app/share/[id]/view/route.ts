// POST /share/<id>/view — count one view. Sent by the page after it loads in a browser, so link
// previewers and mail scanners that only GET the URL do not count (and change nothing).
import { shareNotAvailableResponse } from "@/lib/http";
import { recordShareView } from "@/lib/shares/public";
import { loadShare } from "../load-share";

export async function POST(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShare(id);
  if (!share) return shareNotAvailableResponse();
  await recordShareView(share.actor);
  return new Response(null, { status: 204 });
}
