import { checkReadiness } from "@/lib/health/readiness";

// GET /api/ready — readiness for a load balancer: 200 when this instance can serve, 503 while it
// shuts down or when a dependency fails. Public and unauthenticated, so it says only ok/failed
// per dependency.
export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, {
    status: readiness.status === "ready" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
