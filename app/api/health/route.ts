// GET /api/health — liveness: the process serves requests. Touches no dependency, so a database
// outage never gets healthy instances restarted; /api/ready is the one that checks them.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
