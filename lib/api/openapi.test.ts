import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/openapi.json/route";
import { GET as peoplesGET } from "@/app/api/peoples/conversation/share/[mode]/[userId]/[duration]/route";
import { POST as channelPOST } from "@/app/api/v1/bots/[botId]/messages/route";
import { COMPONENT_SCHEMAS } from "@/lib/api/openapi-schemas";
import { prisma } from "@/lib/db";
import { apiOrganization, shareApi } from "@/lib/testing/share-api";

type Operation = {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: object }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { headers?: Record<string, { $ref: string }>; content?: Record<string, { schema: { $ref?: string } }> }>;
};
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, Record<string, unknown>>;
    headers: Record<string, { description: string; schema: object }>;
    securitySchemes: Record<string, { type: string; scheme: string }> };
  security: Record<string, string[]>[];
};

const EXPECTED = {
  "/api/v1/share": ["post", "get"],
  "/api/v1/share/{shareId}": ["get", "patch", "delete"],
  "/api/peoples/conversation/share/{mode}/{user_id}/{duration}": ["get"],
  "/api/v1/bots/{botId}/messages": ["post"],
  "/api/v1/conversations/{id}/export": ["get"],
  "/api/v1/conversations/export": ["get"],
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
      const [, section, name] = /^#\/components\/(schemas|headers)\/(.+)$/.exec(reference) ?? [];
      expect(section, reference).toBeDefined();
      expect(document.components[section as "schemas" | "headers"]).toHaveProperty(name);
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
        "id", "shareId", "userId", "createdBy", "conversationId", "shareType", "visibility", "mode", "allowContinuation",
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
    expect(Object.keys(post.responses).sort()).toEqual(["200", "201", "400", "401", "403", "404", "409", "413", "422", "429"]);
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

/** The response headers the API itself sets (Next and the platform add others). */
const API_HEADERS = ["x-request-id", "retry-after", "www-authenticate", "idempotent-replayed"];

/** Every object schema inside a JSON schema (properties, items, anyOf/oneOf/allOf, additionalProperties). */
function objectSchemas(schema: unknown): Record<string, unknown>[] {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Record<string, unknown>;
  const children = [
    ...Object.values((node.properties as Record<string, unknown>) ?? {}),
    node.items,
    node.additionalProperties,
    ...((node.anyOf as unknown[]) ?? []),
    ...((node.oneOf as unknown[]) ?? []),
    ...((node.allOf as unknown[]) ?? []),
  ];
  return [...(node.type === "object" ? [node] : []), ...children.flatMap(objectSchemas)];
}

describe("request bodies and response headers", () => {
  const REQUESTS = ["CreateShareRequest", "UpdateShareRequest", "ChannelMessageRequest"];

  it("never lists a field with a default as required, so generated clients need not send it", async () => {
    const { components } = await loadDocument();
    for (const name of REQUESTS) {
      for (const object of objectSchemas(components.schemas[name])) {
        const properties = (object.properties ?? {}) as Record<string, { default?: unknown }>;
        const requiredWithDefault = ((object.required ?? []) as string[]).filter((key) => properties[key] && "default" in properties[key]);
        expect(requiredWithDefault, name).toEqual([]);
      }
    }
    // The fields with defaults are there, optional (so the check above looked at something).
    expect(components.schemas.CreateShareRequest.required).toEqual(["conversationId"]);
    expect(components.schemas.ChannelMessageRequest.required).toEqual(["contact"]);
  });

  it("refuses unknown fields in every request body, as the 400 says", async () => {
    const { components } = await loadDocument();
    for (const name of REQUESTS) {
      const objects = objectSchemas(components.schemas[name]).filter((object) => object.properties);
      expect(objects.length, name).toBeGreaterThan(0);
      for (const object of objects) expect(object.additionalProperties, `${name} ${Object.keys(object.properties as object)}`).toBe(false);
    }
  });

  it("says a PATCH must change at least one setting", async () => {
    const { components } = await loadDocument();
    expect(components.schemas.UpdateShareRequest.minProperties).toBe(1);
  });

  it("declares X-Request-Id on every answer, WWW-Authenticate on every 401 and Retry-After on every 429", async () => {
    const { paths, components } = await loadDocument();
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          const names = Object.keys(response.headers ?? {});
          const where = `${method.toUpperCase()} ${path} ${status}`;
          expect(names, where).toContain("X-Request-Id");
          if (status === "401") expect(names, where).toContain("WWW-Authenticate");
          if (status === "429") expect(names, where).toContain("Retry-After");
          for (const header of Object.values(response.headers ?? {})) expect(components.headers).toHaveProperty(header.$ref.split("/").at(-1)!);
        }
      }
    }
  });
});

describe("real answers", () => {
  /** Parses an answer with the component schema the document gives for this path, method and status. */
  async function expectDocumented(path: string, method: string, response: Response) {
    const { paths } = await loadDocument();
    const documented = paths[path]?.[method]?.responses[String(response.status)];
    expect(documented, `${method.toUpperCase()} ${path} documents ${response.status}`).toBeDefined();
    // Every header of the API's own that the answer carries is declared for it.
    const declared = Object.keys(documented!.headers ?? {}).map((name) => name.toLowerCase());
    const sent = API_HEADERS.filter((name) => response.headers.has(name));
    expect(sent, `${method.toUpperCase()} ${path} ${response.status} headers`).not.toEqual([]);
    expect(declared, `${method.toUpperCase()} ${path} ${response.status} headers`).toEqual(expect.arrayContaining(sent));
    const ref = documented!.content?.["application/json"]?.schema.$ref;
    const schema = COMPONENT_SCHEMAS[ref!.split("/").at(-1) as keyof typeof COMPONENT_SCHEMAS];
    const result = schema.safeParse(await response.json());
    expect(result.error?.issues ?? [], `${method.toUpperCase()} ${path} ${response.status}`).toEqual([]);
  }

  it("match the schema the document gives for each endpoint and status", async () => {
    const { conversation, messageIds, ownerToken, botToken, bot } = await apiOrganization();
    const token = { token: ownerToken };
    const created = await shareApi.create({ ...token, body: { conversationId: conversation.id, shareType: "partial", messageIds: messageIds.slice(0, 1) } });
    const { data } = (await created.clone().json()) as { data: { shareId: string } };
    await expectDocumented("/api/v1/share", "post", created);
    await expectDocumented("/api/v1/share", "post", await shareApi.create({ ...token, body: {} }));
    await expectDocumented("/api/v1/share", "post", await shareApi.create({ token: null, body: {} }));
    const idempotent = { ...token, headers: { "Idempotency-Key": `doc-${data.shareId}` }, body: { conversationId: conversation.id, regenerate: true } };
    await shareApi.create(idempotent);
    const replayed = await shareApi.create(idempotent);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    await expectDocumented("/api/v1/share", "post", replayed);
    await expectDocumented("/api/v1/share", "get", await shareApi.list(conversation.id, token));
    await expectDocumented("/api/v1/share/{shareId}", "get", await shareApi.get(data.shareId, token));
    await expectDocumented("/api/v1/share/{shareId}", "patch", await shareApi.update(data.shareId, { ...token, body: { customTitle: "T" } }));
    const empty = await shareApi.update(data.shareId, { ...token, body: {} });
    expect(empty.status).toBe(400);
    await expectDocumented("/api/v1/share/{shareId}", "patch", empty);
    await expectDocumented("/api/v1/share/{shareId}", "delete", await shareApi.revoke(data.shareId, token));
    await expectDocumented("/api/v1/share/{shareId}", "patch", await shareApi.update(data.shareId, { ...token, body: { customTitle: "U" } }));
    await expectDocumented("/api/v1/share/{shareId}", "get", await shareApi.get(data.shareId, { token: null }));

    const contact = await prisma.contact.findFirstOrThrow({ where: { conversations: { some: { id: conversation.id } } } });
    const peoples = (mode: string, userId: string, authorization = `Bearer ${botToken}`) =>
      peoplesGET(new Request("http://localhost/x", { headers: { authorization } }), {
        params: Promise.resolve({ mode, userId, duration: "24" }),
      });
    const peoplesPath = "/api/peoples/conversation/share/{mode}/{user_id}/{duration}";
    await expectDocumented(peoplesPath, "get", await peoples("view", contact.externalId));
    await expectDocumented(peoplesPath, "get", await peoples("edit", contact.externalId));
    await expectDocumented(peoplesPath, "get", await peoples("view", "nobody"));
    await expectDocumented(peoplesPath, "get", await peoples("view", contact.externalId, `Bearer ${ownerToken}`));

    const channel = (body: unknown) =>
      channelPOST(
        new Request(`http://localhost/api/v1/bots/${bot.id}/messages`, {
          method: "POST",
          headers: { authorization: `Bearer ${botToken}`, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ botId: bot.id }) },
      );
    await expectDocumented("/api/v1/bots/{botId}/messages", "post", await channel({ contact: { externalId: "doc-1" }, text: "hello" }));
    await expectDocumented("/api/v1/bots/{botId}/messages", "post", await channel({ contact: {} }));
  });
});
