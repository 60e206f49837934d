import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Record<string, unknown>>; securitySchemes: Record<string, { type: string; scheme: string }> };
  security: Record<string, string[]>[];
};

const EXPECTED = {
  "/api/v1/share": ["post", "get"],
  "/api/v1/share/{shareId}": ["get", "patch", "delete"],
  "/api/peoples/conversation/share/{mode}/{user_id}/{duration}": ["get"],
  "/api/v1/bots/{botId}/messages": ["post"],
};

async function loadDocument(): Promise<Document> {
  const response = GET();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/json");
  return (await response.json()) as Document;
}

/** Every `$ref` anywhere in the value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => (key === "$ref" && typeof item === "string" ? [item] : refsIn(item)));
  }
  return [];
}

describe("GET /api/openapi.json", () => {
  it("is an OpenAPI 3.1 document with every endpoint of the REST API", async () => {
    const document = await loadDocument();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(Object.keys(document.paths).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [path, methods] of Object.entries(EXPECTED)) {
      expect(Object.keys(document.paths[path]!).sort()).toEqual([...methods].sort());
      for (const method of methods) {
        const operation = document.paths[path]![method]!;
        expect(operation.operationId).toBeTruthy();
        expect(Object.keys(operation.responses)).toContain("401");
        // Every {placeholder} in the path is a required path parameter.
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(operation.parameters).toContainEqual(expect.objectContaining({ name, in: "path", required: true }));
        }
      }
    }
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
  });

  it("resolves every $ref and carries no JSON Schema dialect markers inside components", async () => {
    const document = await loadDocument();
    for (const reference of refsIn(document)) {
      expect(reference).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas).toHaveProperty(reference.split("/").at(-1)!);
    }
    for (const schema of Object.values(document.components.schemas)) {
      expect(schema).not.toHaveProperty("$schema");
      expect(schema).not.toHaveProperty("$id");
    }
  });

  it("describes the <share> object and the create body from the zod schemas the handlers use", async () => {
    const { components, paths } = await loadDocument();
    const share = components.schemas.Share as { properties: Record<string, unknown>; required: string[] };
    expect(share.required.sort()).toEqual(
      [
        "id", "shareId", "userId", "conversationId", "shareType", "visibility", "mode", "allowContinuation",
        "viewCount", "continuationCount", "createdAt", "updatedAt", "status", "messageIds", "customTitle",
        "customDescription", "lastViewedAt", "expiresAt", "revokedAt",
      ].sort(),
    );
    expect(share.properties.status).toMatchObject({ enum: ["active", "revoked", "expired"] });

    const create = components.schemas.CreateShareRequest as {
      properties: Record<string, Record<string, unknown>>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(create.required).toEqual(["conversationId"]);
    expect(create.additionalProperties).toBe(false);
    const nullable = (schema: object) => ({ anyOf: expect.arrayContaining([expect.objectContaining(schema), { type: "null" }]) });
    expect(create.properties.expires_in_days).toMatchObject(nullable({ type: "integer", minimum: 1, maximum: 365 }));
    expect(create.properties.customTitle).toMatchObject(nullable({ type: "string", maxLength: 200 }));
    expect(create.properties.shareType).toMatchObject({ default: "full", enum: ["full", "partial"] });

    const post = paths["/api/v1/share"]!.post!;
    expect(post.requestBody?.content["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/CreateShareRequest" });
    expect(Object.keys(post.responses).sort()).toEqual(["200", "201", "400", "401", "403", "404", "409", "413", "422"]);
    expect(post.parameters).toContainEqual(expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false }));
  });

  it("describes the compatible endpoint's path with the schema its route parses", async () => {
    const { paths } = await loadDocument();
    const parameters = paths["/api/peoples/conversation/share/{mode}/{user_id}/{duration}"]!.get!.parameters!;
    expect(parameters.map(({ name, in: where, required }) => [name, where, required])).toEqual([
      ["mode", "path", true],
      ["user_id", "path", true],
      ["duration", "path", true],
    ]);
    const byName = Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema]));
    expect(byName.mode).toMatchObject({ enum: ["view", "takeover", "auto"] });
    expect(byName.user_id).toMatchObject({ type: "string", minLength: 1, maxLength: 200 });
    expect(byName.duration).toMatchObject({ type: "string", pattern: "^[0-9]{1,6}$" });
  });
});
