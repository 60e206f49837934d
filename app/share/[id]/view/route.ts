// POST /share/<id>/view — count one view. Sent by the page after it loads in a browser, so link
// previewers and mail scanners that only GET the URL do not count (and change nothing).
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { env } from "@/lib/env";
import { recordShareView } from "@/lib/shares/public";
import { loadShareForRoute } from "../load-share";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  // Another site must not inflate view counts with its visitors' browsers (and their cookies).
  if (!isSameOriginRequest(request.headers, ownHosts(request.headers, env.APP_URL), "allow-non-browser")) return foreignOriginResponse();
  const { id } = await params;
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  await recordShareView(share.actor);
  return new Response(null, { status: 204 });
}
