// GET /share/<id>/preview-image — the link preview's picture (og:image). Reads only: an unfurler
// that fetches it counts no view and takes nothing over.
import { shareNotAvailableResponse } from "@/lib/http";
import { findSharePublicName } from "@/lib/organizations/queries";
import { sharePreviewImage } from "@/lib/shares/preview-image";
import { loadShareForRoute } from "../load-share";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  // Previews are for links anyone may open; a members-only or private link has none, and its
  // answer is the one every unavailable link gets, even for a member who could open the page.
  if (share.actor.visibility !== "PUBLIC") return shareNotAvailableResponse();
  const { title, description, channel, messageCount } = share.view;
  return sharePreviewImage({ title, description, channel, messageCount, publicName: await findSharePublicName(share.actor) });
}
