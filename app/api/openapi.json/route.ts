import { buildOpenApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";

// GET /api/openapi.json — the OpenAPI 3.1 document of the REST API (public)
export function GET() {
  return Response.json(buildOpenApiDocument(env.APP_URL), {
    headers: { "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
