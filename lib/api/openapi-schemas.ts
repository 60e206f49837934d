import { z } from "zod";
import { peoplesShareParamsSchema } from "@/lib/api/peoples-schemas";
import { createdShareDtoSchema, shareDtoSchema } from "@/lib/api/share-dto";
import { createShareBodySchema, updateShareBodySchema } from "@/lib/api/share-schemas";
import { channelMessageSchema } from "@/lib/channels/schemas";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";

// The schemas the OpenAPI document names (lib/api/openapi.ts builds the document from them): the
// handlers' own zod schemas, plus the envelopes and the answers that have no schema of their own.

// --- The envelope (PRODUCT.md §5) -------------------------------------------------------------

const metaSchema = z
  .object({
    timestamp: z.iso.datetime({ offset: true }),
    requestId: z.uuid().meta({ description: "Also sent as the X-Request-Id header; quote it when reporting a problem." }),
  })
  .meta({ id: "Meta" });

const errorCodes = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];

const errorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string().meta({ description: "A sentence safe to show to a person." }),
      details: z
        .record(z.string(), z.array(z.string()))
        .nullable()
        .meta({ description: "Messages per input field (\"_\" for the body as a whole), or null." }),
    }),
    meta: metaSchema,
  })
  .meta({ id: "ErrorEnvelope", description: "Every v1 error: success false and an error object." });

const pageMetaSchema = metaSchema
  .extend({
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` to get the next page; null on the last page." }),
  })
  .meta({ id: "PageMeta", description: "`meta` of a list: the usual fields and where the next page starts." });

function successEnvelope<T extends z.ZodType>(id: string, data: T, meta: z.ZodType = metaSchema) {
  return z.object({ success: z.literal(true), data, meta }).meta({ id });
}

const shareEnvelopeSchema = successEnvelope("ShareEnvelope", shareDtoSchema);
const createdShareEnvelopeSchema = successEnvelope("CreatedShareEnvelope", createdShareDtoSchema);
const shareListEnvelopeSchema = successEnvelope("ShareListEnvelope", z.array(shareDtoSchema), pageMetaSchema);

// --- Endpoints implemented elsewhere -------------------------------------------------------------
// The channel API's body is the schema its handler parses with (lib/channels/schemas.ts). The
// compatible endpoint keeps its parameter schema inside its route file, which may export nothing
// but handlers, and neither endpoint has a zod schema for its answer: those are declared here from
// PRODUCT.md §5 and the handlers (MessageView in lib/conversations/message-view.ts).

const peoplesShareUrlSchema = z
  .object({ Url: z.url().meta({ description: "The share link." }) })
  .meta({ id: "PeoplesShareUrl", description: "The compatible endpoint answers a bare object, not the envelope." });

const peoplesErrorSchema = z
  .object({ error: z.string().meta({ description: "What went wrong, as a sentence." }) })
  .meta({ id: "PeoplesError" });

const messageViewSchema = z
  .object({
    id: z.string(),
    seq: z.string().meta({ description: "The message's position: stable and opaque (messages are ordered by createdAt)." }),
    role: z.enum(["CONTACT", "BOT", "OPERATOR", "SYSTEM"]),
    text: z.string(),
    html: z.string().meta({ description: "The text rendered as sanitized HTML (a markdown subset; HTML in the text is shown as text)." }),
    authorName: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    attachments: z.array(z.object({ id: z.string(), fileName: z.string(), contentType: z.string(), size: z.int() })),
  })
  .meta({ id: "Message" });

const channelMessageResultSchema = z
  .object({
    conversationId: z.string(),
    messages: z
      .array(messageViewSchema)
      .meta({ description: "The contact's stored message, then the bot's replies (none while an operator holds the conversation)." }),
  })
  .meta({ id: "ChannelMessageResult" });

const channelMessageEnvelopeSchema = successEnvelope("ChannelMessageEnvelope", channelMessageResultSchema);

/** Every schema the document names, by its component name: tests check real answers against them. */
export const COMPONENT_SCHEMAS = {
  Meta: metaSchema,
  PageMeta: pageMetaSchema,
  ErrorEnvelope: errorEnvelopeSchema,
  Share: shareDtoSchema,
  CreatedShare: createdShareDtoSchema,
  CreateShareRequest: createShareBodySchema,
  UpdateShareRequest: updateShareBodySchema,
  ShareEnvelope: shareEnvelopeSchema,
  CreatedShareEnvelope: createdShareEnvelopeSchema,
  ShareListEnvelope: shareListEnvelopeSchema,
  PeoplesShareUrl: peoplesShareUrlSchema,
  PeoplesError: peoplesErrorSchema,
  ChannelMessageRequest: channelMessageSchema,
  Message: messageViewSchema,
  ChannelMessageResult: channelMessageResultSchema,
  ChannelMessageEnvelope: channelMessageEnvelopeSchema,
} satisfies Record<string, z.ZodType>;
