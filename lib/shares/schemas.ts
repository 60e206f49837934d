import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** Longest validity the UI and flows accept: ten years, in hours. */
export const MAX_VALIDITY_HOURS = 24 * 365 * 10;
/** Most messages a partial share may pick. */
export const MAX_PARTIAL_MESSAGES = 10_000;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters.`)
    .transform((text) => (text === "" ? null : text))
    .nullable()
    .optional()
    .transform((text) => text ?? null);

/** The settings of a share (PRODUCT.md §2), shared by the UI, the API and bot flows. */
export const shareSettingsSchema = z
  .object({
    mode: z.enum(["VIEW", "TAKEOVER", "AUTO"]).default("VIEW"),
    /** Hours until the link expires; null: never. */
    validityHours: z
      .number()
      .int("Validity must be whole hours.")
      .min(1, "Validity must be at least 1 hour.")
      .max(MAX_VALIDITY_HOURS, `Validity must be at most ${MAX_VALIDITY_HOURS} hours.`)
      .nullable()
      .default(null),
    takeOverOnOpen: z.boolean().default(false),
    shareType: z.enum(["FULL", "PARTIAL"]).default("FULL"),
    messageIds: z.array(idSchema).max(MAX_PARTIAL_MESSAGES).default([]),
    visibility: z.enum(["PUBLIC", "ORGANIZATION", "PRIVATE"]).default("PUBLIC"),
    allowContinuation: z.boolean().default(false),
    customTitle: optionalText(200, "Title"),
    customDescription: optionalText(500, "Description"),
  })
  .superRefine((settings, ctx) => {
    if (settings.shareType === "PARTIAL" && settings.messageIds.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["messageIds"],
        message: "Pick at least one message for a partial share.",
      });
    }
    if (settings.takeOverOnOpen && settings.mode === "VIEW") {
      ctx.addIssue({
        code: "custom",
        path: ["takeOverOnOpen"],
        message: "Take over on open needs a takeover or auto link.",
      });
    }
    if (settings.mode !== "VIEW" && settings.shareType === "PARTIAL") {
      ctx.addIssue({
        code: "custom",
        path: ["shareType"],
        message: "A takeover link shares the whole conversation, so it cannot be partial.",
      });
    }
    if (settings.mode === "AUTO" && settings.validityHours === null) {
      ctx.addIssue({
        code: "custom",
        path: ["validityHours"],
        message: "An auto link hands control back when it expires, so it needs a validity.",
      });
    }
  });

export type ShareSettings = z.infer<typeof shareSettingsSchema>;
export type ShareSettingsInput = z.input<typeof shareSettingsSchema>;

export const createShareSchema = z.object({
  conversationId: idSchema,
  /** Mint a new id even when an active share with the same settings exists. */
  regenerate: z.boolean().default(false),
  settings: shareSettingsSchema,
});

export type CreateShareInput = z.input<typeof createShareSchema>;

// HTML forms send strings: "" for an empty number, "on" for a ticked box, repeated keys for lists.
const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());
const optionalHours = z.preprocess(
  (value) => (value === "" || value === undefined || value === null ? null : Number(value)),
  z.number({ error: "Validity must be a number of hours." }).nullable(),
);
const list = z.preprocess((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]), z.array(z.string()));

/** The share modal's form fields, before they become ShareSettings. */
export const shareFormSchema = z.object({
  mode: z.enum(["VIEW", "TAKEOVER", "AUTO"]),
  validityHours: optionalHours,
  takeOverOnOpen: checkbox,
  shareType: z.enum(["FULL", "PARTIAL"]),
  messageIds: list,
  visibility: z.enum(["PUBLIC", "ORGANIZATION", "PRIVATE"]),
  allowContinuation: checkbox,
  customTitle: z.string().optional(),
  customDescription: z.string().optional(),
});

/** Shares per page of the links page and of `GET /api/v1/share` unless the caller asks for fewer. */
export const SHARE_LIST_PAGE_SIZE = 50;
/** Most shares one page may hold. */
export const MAX_SHARE_LIST_PAGE_SIZE = 100;

const emptyToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/** Which shares a list shows; every field narrows it, none means all the caller manages. */
export const shareListFilterSchema = z.object({
  status: z.preprocess(emptyToUndefined, z.enum(["active", "expired", "revoked"]).optional()),
  mode: z.preprocess(emptyToUndefined, z.enum(["VIEW", "TAKEOVER", "AUTO"]).optional()),
  botId: z.preprocess(emptyToUndefined, idSchema.optional()),
  conversationId: z.preprocess(emptyToUndefined, idSchema.optional()),
  /** Part of the conversation's title, any case. */
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200, "Search at most 200 characters.").optional()),
});

export type ShareListFilter = z.output<typeof shareListFilterSchema>;
