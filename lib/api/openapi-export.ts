import { z } from "zod";
import { conversationExportParams, conversationExportQuery, exportEntrySchema, organizationExportQuery } from "@/lib/export/schemas";

/*
 * The export endpoints' part of the OpenAPI document (lib/api/openapi.ts passes its helpers in).
 * Their answers are files, not the v1 envelope; their errors are the envelope.
 */

type JsonSchema = Record<string, unknown>;

export type OpenApiHelpers = {
  parameters: (location: "path" | "query", object: z.ZodObject) => JsonSchema[];
  errorResponses: (statuses: (400 | 401 | 404 | 429)[], schema?: "ErrorEnvelope", descriptions?: Partial<Record<400 | 401 | 404 | 429, string>>) => Record<string, unknown>;
  jsonSchemaOf: (schema: z.ZodType) => JsonSchema;
  headers: (...extra: "ContentDisposition"[]) => Record<string, unknown>;
};

/** A browser session (the member's sign-in cookie) or a bearer token. */
const EXPORT_SECURITY = [{ bearerAuth: [] }, { sessionCookie: [] }];

export const SESSION_COOKIE_SCHEME = {
  type: "apiKey",
  in: "cookie",
  name: "next-auth.session-token",
  description: "A signed-in member's browser session (`__Secure-next-auth.session-token` over HTTPS). Only the export endpoints accept it.",
} as const;

function fileResponse({ jsonSchemaOf, headers }: OpenApiHelpers, what: string) {
  const text = { schema: { type: "string" } };
  return {
    description:
      `${what}, streamed as it is read from the database. One entry per message or control event (take-over ` +
      "started or ended, transfer started or ended), in time order. `json` is one JSON array (an entry per line); " +
      "`csv` is RFC 4180 with a header row, CRLF line ends, file ids and names each joined by a line break, and " +
      "cells a spreadsheet would run as a formula (starting with = + - @, a tab or CR, also after spaces) " +
      "prefixed with a single quote; `md` is a Markdown transcript; `parquet` has the same columns, typed (the " +
      "time a UTC millisecond timestamp, files as lists of strings), one row group per 1,000 entries.",
    // The file is named after the conversation's title, or `conversations-<date>`, with the format's extension.
    headers: headers("ContentDisposition"),
    content: {
      "application/json": { schema: jsonSchemaOf(z.array(exportEntrySchema)) },
      "text/csv": text,
      "text/markdown": text,
      "application/vnd.apache.parquet": { schema: { type: "string", contentMediaType: "application/vnd.apache.parquet" } },
    },
  };
}

export function exportPaths(helpers: OpenApiHelpers) {
  const { parameters, errorResponses } = helpers;
  return {
    "/api/v1/conversations/{id}/export": {
      get: {
        operationId: "exportConversation",
        tags: ["Exports"],
        summary: "Export a conversation",
        description:
          "One conversation's messages (role, author's display name, time, text, file ids and names) and control events, " +
          "for a member who may read it or its bot's token.",
        security: EXPORT_SECURITY,
        parameters: [...parameters("path", conversationExportParams), ...parameters("query", conversationExportQuery)],
        responses: {
          "200": fileResponse(helpers, "The transcript"),
          ...errorResponses([400, 401, 404, 429], "ErrorEnvelope", {
            400: "A format other than json, csv, md or parquet, or a malformed id.",
            401: "Neither a signed-in session nor a valid bearer token.",
            404: "No such conversation, or one the caller may not read.",
          }),
        },
      },
    },
    "/api/v1/conversations/export": {
      get: {
        operationId: "exportConversations",
        tags: ["Exports"],
        summary: "Export many conversations",
        description:
          "Every conversation the caller may read as one file, optionally of one bot and within a time range: " +
          "conversations in the order they were created, and of each only the messages and events within the range. " +
          "`from` and `to` take a UTC day (`to` includes the whole day) or an ISO 8601 date-time (`to` excluded).",
        security: EXPORT_SECURITY,
        parameters: parameters("query", organizationExportQuery),
        responses: {
          "200": fileResponse(helpers, "The conversations"),
          ...errorResponses([400, 401, 404, 429], "ErrorEnvelope", {
            400: "A bad format, bot id or date, or `from` not before `to`.",
            401: "Neither a signed-in session nor a valid bearer token.",
            404: "The bot does not exist or belongs to another organization.",
          }),
        },
      },
    },
  };
}
