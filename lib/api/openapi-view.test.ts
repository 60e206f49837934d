import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { constraintsOf, curlExample, fieldRows, operationsOf, typeLabel, type ApiDocument } from "@/lib/api/openapi-view";

const document = buildOpenApiDocument("https://sb.example") as unknown as ApiDocument;

describe("the API reference view of the OpenAPI document", () => {
  it("lists every operation once, with a unique anchor", () => {
    const operations = operationsOf(document);
    expect(operations.map(({ method, path }) => `${method} ${path}`)).toEqual([
      "GET /api/v1/share",
      "POST /api/v1/share",
      "GET /api/v1/share/{shareId}",
      "PATCH /api/v1/share/{shareId}",
      "DELETE /api/v1/share/{shareId}",
      "GET /api/peoples/conversation/share/{mode}/{user_id}/{duration}",
      "GET /api/v1/conversations/{id}/export",
      "GET /api/v1/conversations/export",
      "POST /api/v1/bots/{botId}/messages",
    ]);
    expect(new Set(operations.map((operation) => operation.anchor)).size).toBe(operations.length);
  });

  it("describes the create body's fields with their types and limits", () => {
    const rows = fieldRows(document, { $ref: "#/components/schemas/CreateShareRequest" });
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]));
    expect(byName.conversationId).toMatchObject({ type: "string", required: true });
    expect(byName.shareType).toMatchObject({ type: '"full" | "partial"', required: false, constraints: ['default "full"'] });
    expect(byName.expires_in_days?.type).toBe("integer | null");
    expect(byName.expires_in_days?.constraints).toContain("1–365");
    expect(byName.customTitle?.constraints).toContain("≤ 200 chars");
  });

  it("labels references, arrays and formats", () => {
    expect(typeLabel({ type: "array", items: { $ref: "#/components/schemas/Share" } })).toBe("Share[]");
    expect(typeLabel({ type: "string", format: "date-time" })).toBe("string (date-time)");
    expect(constraintsOf({ type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 })).toEqual([]);
  });

  it("writes a curl example with the token, the idempotency key and the example body", () => {
    const create = operationsOf(document).find((operation) => operation.anchor === "createShare")!;
    const get = operationsOf(document).find((operation) => operation.anchor === "getShare")!;
    const list = operationsOf(document).find((operation) => operation.anchor === "listShares")!;

    expect(curlExample("https://sb.example", create)).toContain("curl -X POST 'https://sb.example/api/v1/share'");
    expect(curlExample("https://sb.example", create)).toContain("-H 'Idempotency-Key: <unique key>'");
    expect(curlExample("https://sb.example", create)).toMatch(/-d '\{"conversationId":/);
    expect(curlExample("https://sb.example", get)).toContain("'https://sb.example/api/v1/share/<shareId>'");
    // Optional query parameters (conversationId, limit, cursor) stay out of the example.
    expect(curlExample("https://sb.example", list)).toContain("curl -X GET 'https://sb.example/api/v1/share' ");
  });
});
