import { z } from "zod";
import { EXPORT_FORMATS } from "@/lib/export/formats";
import { idSchema } from "@/lib/ids";

const DAY_MS = 24 * 60 * 60 * 1000;

const format = z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}.` });

/** A form's empty field means "not given". */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/**
 * A day (YYYY-MM-DD, UTC) or an instant (ISO 8601 with a zone). `endOfDay` makes a day mean the
 * instant its last millisecond ends, so `to=2026-11-30` includes all of the 30th.
 */
const instant = (endOfDay: boolean) =>
  z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (YYYY-MM-DD) or an ISO 8601 date-time with a time zone." }).transform((value) => {
    const time = new Date(value.length === 10 ? `${value}T00:00:00Z` : value).getTime();
    return new Date(value.length === 10 && endOfDay ? time + DAY_MS : time);
  });

export const conversationExportParams = z.object({ id: idSchema });

export const conversationExportQuery = z.object({ format });

export const organizationExportQuery = z
  .object({ format, botId: optional(idSchema), from: optional(instant(false)), to: optional(instant(true)) })
  .refine(({ from, to }) => !from || !to || from < to, { message: "from must be before to.", path: ["to"] });

/** One entry of a JSON export, as documented in the OpenAPI document (and checked by the tests). */
export const exportEntrySchema = z
  .object({
    conversationId: z.string(),
    conversationTitle: z.string(),
    botName: z.string(),
    channel: z.string(),
    kind: z.enum(["message", "event"]),
    time: z.iso.datetime().meta({ description: "ISO 8601, UTC." }),
    role: z.enum(["contact", "bot", "operator", "system"]).nullable().meta({ description: "The message's role; null for events." }),
    author: z.string().nullable().meta({ description: "Display name: the contact's, the bot's or the operator's." }),
    text: z.string().meta({ description: "The message as written (Markdown), or a sentence describing the event." }),
    event: z.enum(["takeover_started", "takeover_ended", "transfer_started", "transfer_ended"]).nullable(),
    reason: z.string().nullable().meta({ description: "Why a take-over or transfer ended: handed_back, expired, revoked, stale, given_back, disconnected." }),
    messageId: z.string().nullable(),
    fileIds: z.array(z.string()),
    fileNames: z.array(z.string()),
  })
  .strict();
