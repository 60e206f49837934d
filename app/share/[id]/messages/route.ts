// GET /share/<id>/messages?before=<cursor> — the page of messages before the cursor, as JSON
import { listMessagesPage } from "@/lib/conversations/queries";
import { beforeCursorSchema, jsonErrorResponse } from "@/lib/http";
import { AppError } from "@/lib/errors";
import { loadShareForRoute } from "../load-share";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const before = beforeCursorSchema.safeParse(new URL(request.url).searchParams.get("before"));
  if (!before.success) return jsonErrorResponse(new AppError("bad_request", before.error.issues[0].message));
  const share = await loadShareForRoute(id);
  if (share instanceof Response) return share;
  return Response.json(await listMessagesPage(share.actor, share.actor.conversationId, { before: before.data }));
}
