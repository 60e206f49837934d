// Turns the OpenAPI document into what the API reference page shows: operations in order, field
// rows for schemas, readable type labels and a curl example per operation.

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  default?: unknown;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  pattern?: string;
};

export type Parameter = { name: string; in: string; required: boolean; description?: string; schema: JsonSchema };
type MediaType = { schema: JsonSchema; example?: unknown };
export type Operation = {
  operationId: string;
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { description: string; content?: Record<string, MediaType> }>;
};
export type ApiDocument = {
  info: { title: string; version: string; description?: string };
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};

export type OperationView = { method: string; path: string; anchor: string; operation: Operation };

const METHOD_ORDER = ["get", "post", "patch", "put", "delete"];

export function operationsOf(document: ApiDocument): OperationView[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .sort(([a], [b]) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, anchor: operation.operationId, operation })),
  );
}

/** `#/components/schemas/Share` → `Share`. */
export const refName = (ref: string) => ref.split("/").at(-1) ?? ref;

/** A short type: `string`, `integer | null`, `"view" | "takeover"`, `Share[]`. */
export function typeLabel(schema: JsonSchema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map(typeLabel).join(" | ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if (schema.type === "array") return `${schema.items ? typeLabel(schema.items) : "any"}[]`;
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : (schema.type ?? "any");
  return schema.format ? `${type} (${schema.format})` : type;
}

/** Limits and default in words: `1–365`, `≤ 200 chars`, `default "full"`. */
export function constraintsOf(schema: JsonSchema): string[] {
  const parts = (schema.anyOf ?? [schema]).flatMap((variant) => {
    const found: string[] = [];
    if (variant.minimum !== undefined && variant.maximum !== undefined && variant.maximum < Number.MAX_SAFE_INTEGER) {
      found.push(`${variant.minimum}–${variant.maximum}`);
    } else if (variant.minimum !== undefined && variant.minimum > Number.MIN_SAFE_INTEGER) {
      found.push(`≥ ${variant.minimum}`);
    }
    if (variant.maxLength !== undefined) found.push(`≤ ${variant.maxLength} chars`);
    if (variant.minLength !== undefined && variant.minLength > 0) found.push(`≥ ${variant.minLength} chars`);
    if (variant.maxItems !== undefined) found.push(`≤ ${variant.maxItems} items`);
    return found;
  });
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts;
}

export type FieldRow = { name: string; type: string; required: boolean; description: string; constraints: string[] };

/** One row per property of an object schema (a `$ref` is followed). */
export function fieldRows(document: ApiDocument, schema: JsonSchema): FieldRow[] {
  const resolved = schema.$ref ? document.components.schemas[refName(schema.$ref)] : schema;
  if (!resolved?.properties) return [];
  const required = new Set(resolved.required ?? []);
  return Object.entries(resolved.properties).map(([name, property]) => ({
    name,
    type: typeLabel(property),
    required: required.has(name),
    description: property.description ?? "",
    constraints: constraintsOf(property),
  }));
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;

/** A curl command for the operation, with placeholders for path parameters and the token. */
export function curlExample(baseUrl: string, { method, path, operation }: OperationView): string {
  const query = (operation.parameters ?? [])
    .filter((parameter) => parameter.in === "query" && parameter.required)
    .map((parameter) => `${parameter.name}=<${parameter.name}>`)
    .join("&");
  const url = `${baseUrl}${path.replace(/\{([^}]+)\}/g, "<$1>")}${query ? `?${query}` : ""}`;
  const lines = [`curl -X ${method} ${shellQuote(url)}`, `  -H 'Authorization: Bearer <token>'`];
  if (operation.parameters?.some((parameter) => parameter.name === "Idempotency-Key")) {
    lines.push(`  -H 'Idempotency-Key: <unique key>'`);
  }
  const example = operation.requestBody?.content["application/json"]?.example;
  if (example !== undefined) {
    lines.push(`  -H 'Content-Type: application/json'`, `  -d ${shellQuote(JSON.stringify(example))}`);
  }
  return lines.join(" \\\n");
}
