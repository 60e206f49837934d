// GET /conversations/events[?organizationId=…] — the signed-in member's inbox as Server-Sent
// Events: a list row whenever a conversation of their organizations (or of the one named) changes.
import { getActor } from "@/lib/auth/current-actor";
import { organizationIdsFor } from "@/lib/conversations/policy";
import { AppError } from "@/lib/errors";
import { jsonErrorResponse } from "@/lib/http";
import { inboxStreamQuerySchema } from "@/lib/inbox/schemas";
import { inboxEventStream } from "@/lib/inbox/stream";

export async function GET(request: Request) {
  const actor = await getActor();
  if (actor.kind !== "user") return jsonErrorResponse(new AppError("unauthorized", "Sign in to follow your inbox."));
  const query = inboxStreamQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return jsonErrorResponse(new AppError("bad_request", "organizationId must be an organization id."));
  const readable = organizationIdsFor(actor, "read");
  const { organizationId } = query.data;
  // Another organization's stream is "not found", as its conversations are.
  if (organizationId && !readable.includes(organizationId)) return jsonErrorResponse(new AppError("not_found", "Organization not found."));
  return inboxEventStream(request, actor, organizationId ? [organizationId] : readable);
}
