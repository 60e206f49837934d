// GET|HEAD /api/peoples/conversation/share[/…] with a missing or extra segment — a 400 in the
// compatible endpoint's own shape, instead of Next's HTML 404 page, so an integrator who drops the
// duration reads what is wrong. Next matches the complete path ([mode]/[userId]/[duration]) first;
// this optional catch-all gets every other path below /share, including /share itself.
import { peoplesErrorResponse, requireBotToken } from "@/lib/api/peoples-share";
import { apiRoute } from "@/lib/api/route";
import { AppError } from "@/lib/errors";

// Authenticated first, like the endpoint: a bad token is a 401 whatever the path.
const answerMalformedPath = apiRoute({ errorResponse: peoplesErrorResponse }, async ({ actor }) => {
  requireBotToken(actor);
  throw new AppError(
    "bad_request",
    "Malformed path: expected /api/peoples/conversation/share/<mode>/<user_id>/<duration> " +
      "(mode view, takeover or auto; user_id the contact's id; duration in whole hours).",
  );
});

// The segments themselves are not read (whatever they are, the path is wrong), so Next's `params`
// (a list here, which apiRoute's string params do not describe) is not passed on.
export function GET(request: Request): Promise<Response> {
  return answerMalformedPath(request);
}

// Answers like GET: neither writes anything.
export function HEAD(request: Request): Promise<Response> {
  return answerMalformedPath(request);
}
