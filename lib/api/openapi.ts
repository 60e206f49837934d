import { z } from "zod";
import { COMPONENT_SCHEMAS } from "@/lib/api/openapi-schemas";
import { peoplesShareParamsSchema } from "@/lib/api/peoples-schemas";
import { idempotencyKeySchema } from "@/lib/api/request";
import { listSharesQuerySchema, sharePublicIdSchema } from "@/lib/api/share-schemas";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { exportPaths, SESSION_COOKIE_SCHEME } from "@/lib/api/openapi-export";
import { idSchema } from "@/lib/ids";

/*
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the handlers parse
 * with (z.toJSONSchema), so the description cannot drift from the behaviour.
 */

type JsonSchema = Record<string, unknown>;

const botParamsSchema = z.object({ botId: idSchema.meta({ description: "The bot the token belongs to." }) });

type ComponentName = keyof typeof COMPONENT_SCHEMAS;

const toJsonSchemaOptions = {
  // Requests are described as a client sends them: fields with a default are optional.
  io: "input",
  // The ISO timestamp regex says nothing "format: date-time" does not.
  override: ({ jsonSchema }: { jsonSchema: JsonSchema }) => {
    if (jsonSchema.format === "date-time") delete jsonSchema.pattern;
  },
} as const;

function withoutDialect({ $schema: _dialect, $id: _id, ...schema }: JsonSchema): JsonSchema {
  return schema;
}

function componentSchemas(): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...toJsonSchemaOptions, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, withoutDialect(schema as JsonSchema)]));
}

const jsonSchemaOf = (schema: z.ZodType) => withoutDialect(z.toJSONSchema(schema, toJsonSchemaOptions) as JsonSchema);
const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });

/** OpenAPI parameters from a zod object: one per key, required unless optional. */
function parameters(location: "path" | "query" | "header", object: z.ZodObject): JsonSchema[] {
  const { properties = {}, required = [] } = jsonSchemaOf(object) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, { description, ...schema }]) => ({
    name,
    in: location,
    required: location === "path" || required.includes(name),
    ...(description ? { description } : {}),
    schema,
  }));
}

const ERROR_DESCRIPTIONS = {
  400: "Bad input: malformed JSON, a wrong type, a missing or unknown field. Nothing changed.",
  401: "Missing, malformed, unknown or revoked bearer token.",
  403: "The token's member may see this conversation, but their role may not manage its shares.",
  404: "No such conversation, share or bot, or it belongs to someone else (never 403, so nothing leaks).",
  409: "Conflicts with the current state (e.g. changing a revoked or expired share).",
  413: "The body (or a file in it) is larger than the API accepts.",
  422: "Parses, but breaks a rule: message ids that are not in the conversation, an Idempotency-Key reused with another body, a file that is not base64.",
  429: "Too many requests with this token (RATE_LIMIT_API_TOKEN); the Retry-After header says how many seconds to wait. Nothing changed.",
} as const;

type ErrorStatus = keyof typeof ERROR_DESCRIPTIONS;

const STATUS_CODE: Record<ErrorStatus, ErrorCode> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  422: "unprocessable",
  429: "rate_limited",
};

/** The response headers the API sends, declared once under components.headers. */
const RESPONSE_HEADERS = {
  RequestId: {
    description: "This request's id, also in `meta.requestId` of v1 answers; quote it when reporting a problem.",
    schema: { type: "string", format: "uuid" },
  },
  RetryAfter: {
    description: "Whole seconds to wait before the request can succeed.",
    schema: { type: "integer", minimum: 1 },
  },
  WwwAuthenticate: {
    description: "The scheme to authenticate with: `Bearer realm=\"switchboard\"`.",
    schema: { type: "string" },
  },
  IdempotentReplayed: {
    description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key (nothing was done again).",
    schema: { type: "string", enum: ["true"] },
  },
  ContentDisposition: {
    description: "`attachment` with the file's name (RFC 6266): an ASCII `filename` and the exact UTF-8 `filename*` when they differ.",
    schema: { type: "string" },
  },
} as const;

type HeaderName = keyof typeof RESPONSE_HEADERS;

const HEADER_FIELDS: Record<HeaderName, string> = {
  RequestId: "X-Request-Id",
  RetryAfter: "Retry-After",
  WwwAuthenticate: "WWW-Authenticate",
  IdempotentReplayed: "Idempotent-Replayed",
  ContentDisposition: "Content-Disposition",
};

/** Every answer carries X-Request-Id; the others only where they are sent. */
function headers(...extra: HeaderName[]) {
  return Object.fromEntries(
    (["RequestId", ...extra] as HeaderName[]).map((name) => [HEADER_FIELDS[name], { $ref: `#/components/headers/${name}` }]),
  );
}

const ERROR_HEADERS: Partial<Record<ErrorStatus, HeaderName[]>> = { 401: ["WwwAuthenticate"], 429: ["RetryAfter"] };

function errorResponses(
  statuses: ErrorStatus[],
  schema: ComponentName = "ErrorEnvelope",
  descriptions: Partial<Record<ErrorStatus, string>> = {},
) {
  return Object.fromEntries(
    statuses.map((status) => [
      String(status),
      {
        description: descriptions[status] ?? ERROR_DESCRIPTIONS[status],
        headers: headers(...(ERROR_HEADERS[status] ?? [])),
        content: {
          "application/json": {
            schema: ref(schema),
            ...(schema === "ErrorEnvelope"
              ? {
                  example: {
                    success: false,
                    error: { code: STATUS_CODE[status], message: "A sentence describing the problem.", details: null },
                    meta: { timestamp: "2026-01-01T12:00:00.000Z", requestId: "6f1c2a4e-0d3b-4c55-9a1e-2b7c8d9e0f11" },
                  },
                }
              : {}),
          },
        },
      },
    ]),
  );
}

/** A successful answer with a JSON body of a named schema. */
const ok = (description: string, name: ComponentName, options: { example?: unknown; headers?: HeaderName[] } = {}) => ({
  description,
  headers: headers(...(options.headers ?? [])),
  content: { "application/json": { schema: ref(name), ...(options.example === undefined ? {} : { example: options.example }) } },
});

const json = (name: ComponentName, example?: unknown) => ({
  content: { "application/json": { schema: ref(name), ...(example === undefined ? {} : { example }) } },
});

const security = [{ bearerAuth: [] }];

const exampleCreate = {
  conversationId: "cm3k2l9x00001abcd1234efgh",
  shareType: "full",
  visibility: "public",
  mode: "view",
  expires_in_days: 7,
  customTitle: "Order #1042",
};

const shareIdParameter = parameters("path", z.object({ shareId: sharePublicIdSchema }));

/** The whole document. `serverUrl`: the public base URL the API is served from. */
export function buildOpenApiDocument(serverUrl?: string) {
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    info: {
      title: "Switchboard API",
      version: "1.0.0",
      description:
        "Share bot conversations as unlisted links and post channel messages. Authenticate with a bot token " +
        "(`sb_bot_…`, acts for one bot) or a personal API token (`sb_pat_…`, acts for its member) as " +
        "`Authorization: Bearer <token>`. v1 answers use one envelope: `{ success, data | error, meta }`.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: [
      { name: "Shares", description: "Create, read, change and revoke share links." },
      { name: "Channels", description: "Endpoints for channel integrations and other chatbot platforms." },
      { name: "Exports", description: "Download transcripts as JSON, CSV, Markdown or Parquet." },
    ],
    security,
    paths: {
      "/api/v1/share": {
        post: {
          operationId: "createShare",
          tags: ["Shares"],
          summary: "Create a share",
          description:
            "Shares a conversation. Without `regenerate`, an active share of the conversation with the same " +
            "settings is returned (200) instead of a new one (201). A partial share needs `messageIds`; a " +
            "takeover or auto share covers the whole conversation; an auto share needs a validity. Send an " +
            "`Idempotency-Key` to make retries safe: the first successful answer is replayed byte for byte.",
          parameters: parameters("header", z.object({ "Idempotency-Key": idempotencyKeySchema.optional() })),
          requestBody: { required: true, ...json("CreateShareRequest", exampleCreate) },
          responses: {
            "201": ok("A new share link.", "CreatedShareEnvelope", { headers: ["IdempotentReplayed"] }),
            "200": ok("The active share with the same settings (regenerate was off).", "CreatedShareEnvelope", { headers: ["IdempotentReplayed"] }),
            ...errorResponses([400, 401, 403, 404, 409, 413, 422, 429]),
          },
        },
        get: {
          operationId: "listShares",
          tags: ["Shares"],
          summary: "List shares",
          description:
            "The shares the caller manages (active, revoked and expired), newest first, a page at a time: a " +
            "personal token's member sees those of the conversations they may share, a bot token its bot's. " +
            "With `conversationId`, only that conversation's. While `meta.nextCursor` is not null, pass it as " +
            "`cursor` for the next page; shares are ordered by creation time and id, so pages neither repeat nor skip one.",
          parameters: parameters("query", listSharesQuerySchema),
          responses: {
            "200": ok("The shares.", "ShareListEnvelope"),
            ...errorResponses([400, 401, 403, 404, 429]),
          },
        },
      },
      "/api/v1/share/{shareId}": {
        get: {
          operationId: "getShare",
          tags: ["Shares"],
          summary: "Get a share",
          description: "One share with its live status and counters.",
          parameters: shareIdParameter,
          responses: {
            "200": ok("The share.", "ShareEnvelope"),
            ...errorResponses([400, 401, 403, 404, 429]),
          },
        },
        patch: {
          operationId: "updateShare",
          tags: ["Shares"],
          summary: "Change a share",
          description:
            "Changes an active share's settings; the link stays the same. Omitted fields keep their value; a " +
            "new validity counts from now. An empty body changes nothing and is a 400. A revoked or expired " +
            "share cannot change (409).",
          parameters: shareIdParameter,
          requestBody: { required: true, ...json("UpdateShareRequest", { visibility: "organization", expires_in_days: 30 }) },
          responses: {
            "200": ok("The changed share.", "ShareEnvelope"),
            ...errorResponses([400, 401, 403, 404, 409, 413, 422, 429]),
          },
        },
        delete: {
          operationId: "revokeShare",
          tags: ["Shares"],
          summary: "Revoke a share",
          description:
            "Revokes the link for good: it answers 404 from now on and its id is never reused; a takeover made " +
            "through it ends. Revoking a revoked share changes nothing.",
          parameters: shareIdParameter,
          responses: {
            "200": ok("The revoked share.", "ShareEnvelope"),
            ...errorResponses([400, 401, 403, 404, 429]),
          },
        },
      },
      "/api/peoples/conversation/share/{mode}/{user_id}/{duration}": {
        get: {
          operationId: "peoplesShareUrl",
          tags: ["Channels"],
          summary: "Share link for a contact's conversation (compatible endpoint)",
          description:
            "For integrators coming from other chatbot platforms. With a bot token: a full, public share link of " +
            "the latest conversation of the channel contact `user_id` on that bot, valid for `duration` hours " +
            "from this request. While that link is active the same request returns the same link, its expiry " +
            "moved to at least now + `duration` (never earlier). Errors are JSON with a message. A HEAD " +
            "creates nothing: it answers 405 (it could not answer like this GET without creating the link).",
          parameters: parameters("path", peoplesShareParamsSchema),
          responses: {
            "200": ok("The link.", "PeoplesShareUrl", { example: { Url: "https://switchboard.example/share/Yh3kQ2xV9pLmN4rT8sWz0A" } }),
            ...errorResponses([400, 401, 404, 429], "PeoplesError", {
              400: "A bad mode, user_id or duration, or a path with a missing or extra segment.",
              401: "Missing, malformed, unknown or revoked bearer token, or a personal token (this endpoint takes bot tokens).",
              404: "The bot has no channel contact with this user_id, or the contact has no conversation.",
            }),
          },
        },
      },
      ...exportPaths({ parameters, errorResponses, jsonSchemaOf, headers }),
      "/api/v1/bots/{botId}/messages": {
        post: {
          operationId: "postChannelMessage",
          tags: ["Channels"],
          summary: "Post a contact's (or a channel operator's) message",
          description:
            "Channel ingestion, with a token of this bot: stores the contact's message (creating the contact " +
            "and the conversation on first contact) and answers it with the bot's replies. While an operator " +
            "holds the conversation the bot stays silent; operator replies reach the bot's configured webhook. " +
            'With `"role": "operator"` (and an optional `operatorName`) it records a reply typed on the channel ' +
            "itself, such as the business phone: that takes the contact's latest conversation over from the bot, " +
            "or continues the channel's hold (which ends after the stale timeout without operator messages), " +
            "exactly as a console operator does. It answers 404 when the contact has no conversation yet and " +
            "409 while a console operator holds the conversation or it is transferred. " +
            "`needsHuman: true` marks the conversation \"Needs a person\" in the team's inbox (and notifies the " +
            "organization's notification webhook) until an operator takes over.",
          parameters: parameters("path", botParamsSchema),
          requestBody: {
            required: true,
            ...json("ChannelMessageRequest", { contact: { externalId: "+4915112345678", name: "Ada" }, text: "Hello", channel: "whatsapp" }),
          },
          responses: {
            "201": ok("The stored message and the bot's replies.", "ChannelMessageEnvelope"),
            ...errorResponses([400, 401, 404, 409, 413, 422, 429]),
          },
        },
      },
    },
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          description: "A bot token (`sb_bot_…`) or a personal API token (`sb_pat_…`), created in the app.",
        },
        sessionCookie: SESSION_COOKIE_SCHEME,
      },
      headers: RESPONSE_HEADERS,
      schemas: componentSchemas(),
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
