import { z } from "zod";
import type { ShareMode, ShareType, ShareVisibility } from "@/lib/generated/prisma/enums";
import type { OwnerShare } from "@/lib/shares/queries";
import { MAX_PARTIAL_MESSAGES, MAX_SHARE_LIST_PAGE_SIZE, SHARE_LIST_PAGE_SIZE, shareSettingsSchema, type ShareSettings, type ShareSettingsInput } from "@/lib/shares/schemas";
import { SHARE_PUBLIC_ID_PATTERN } from "@/lib/shares/public-id";
import { AppError } from "@/lib/errors";
import { validationError } from "@/lib/validation";
import { idSchema } from "@/lib/ids";

/** Longest validity the v1 API accepts, in days. */
export const MAX_API_VALIDITY_DAYS = 365;

/** The API's lowercase enum values and the domain's. */
export const MODES = { view: "VIEW", takeover: "TAKEOVER", auto: "AUTO" } as const satisfies Record<string, ShareMode>;
export const SHARE_TYPES = { full: "FULL", partial: "PARTIAL" } as const satisfies Record<string, ShareType>;
export const VISIBILITIES = {
  public: "PUBLIC",
  organization: "ORGANIZATION",
  private: "PRIVATE",
} as const satisfies Record<string, ShareVisibility>;

const modeSchema = z
  .enum(["view", "takeover", "auto"])
  .meta({ description: "view: read-only; takeover: the page offers Take over / Hand back; auto: takeover, handed back to the bot when the link expires." });
const shareTypeSchema = z
  .enum(["full", "partial"])
  .meta({ description: "full: the whole conversation, live; partial: exactly the messages in messageIds." });
const visibilitySchema = z
  .enum(["public", "organization", "private"])
  .meta({ description: "public: anyone with the link; organization: signed-in members of the owner's organization; private: the owner only." });
const validityDays = z
  .int("Validity must be a whole number of days.")
  .min(1, "Validity must be at least 1 day.")
  .max(MAX_API_VALIDITY_DAYS, `Validity must be at most ${MAX_API_VALIDITY_DAYS} days.`)
  .nullable()
  .meta({ description: `Days until the link expires (1–${MAX_API_VALIDITY_DAYS}); null or absent: never.` });
const messageIdsSchema = z
  .array(idSchema)
  .max(MAX_PARTIAL_MESSAGES)
  .meta({ description: "Ids of the conversation's messages a partial share shows." });
const text = (max: number, label: string) =>
  z.string().max(max, `${label} must be at most ${max} characters.`).nullable();

/** The settings a client may send on create and on change (PATCH sends any subset). */
const settingsFields = {
  shareType: shareTypeSchema,
  messageIds: messageIdsSchema,
  visibility: visibilitySchema,
  allowContinuation: z.boolean().meta({ description: "Viewers may fork the conversation into their own account." }),
  expires_in_days: validityDays,
  expiresInDays: validityDays.meta({ description: "Same as expires_in_days; when both are given they must be equal." }),
  customTitle: text(200, "customTitle").meta({ description: "Shown on the page and in link previews (≤ 200 characters)." }),
  customDescription: text(500, "customDescription").meta({ description: "Shown in link previews (≤ 500 characters)." }),
  mode: modeSchema,
  takeOverOnOpen: z.boolean().meta({ description: "takeover/auto only: the conversation is taken over when the link is first opened." }),
};

type SettingsFields = { [K in keyof typeof settingsFields]?: z.output<(typeof settingsFields)[K]> };

function checkValidity(fields: SettingsFields, ctx: z.RefinementCtx) {
  const { expires_in_days: snake, expiresInDays: camel } = fields;
  if (snake !== undefined && camel !== undefined && snake !== camel) {
    ctx.addIssue({
      code: "custom",
      path: ["expires_in_days"],
      message: "expires_in_days and expiresInDays differ; send one of them.",
    });
  }
}

/** Body of `POST /api/v1/share`. Unknown keys are rejected, so a typo never passes silently. */
export const createShareBodySchema = z
  .strictObject({
    conversationId: idSchema.meta({ description: "The conversation to share." }),
    messageIds: settingsFields.messageIds.optional(),
    expires_in_days: settingsFields.expires_in_days.optional(),
    expiresInDays: settingsFields.expiresInDays.optional(),
    customTitle: settingsFields.customTitle.optional(),
    customDescription: settingsFields.customDescription.optional(),
    shareType: shareTypeSchema.default("full"),
    visibility: visibilitySchema.default("public"),
    mode: modeSchema.default("view"),
    allowContinuation: settingsFields.allowContinuation.default(false),
    takeOverOnOpen: settingsFields.takeOverOnOpen.default(false),
    regenerate: z
      .boolean()
      .default(false)
      .meta({ description: "Always mint a new link; otherwise an active share with the same settings is returned." }),
  })
  .superRefine((body, ctx) => {
    checkValidity(body, ctx);
    if (body.shareType === "full" && body.messageIds && body.messageIds.length > 0) {
      ctx.addIssue({ code: "custom", path: ["messageIds"], message: "messageIds apply to a partial share only." });
    }
  })
  .meta({ id: "CreateShareRequest", description: "Only conversationId is required; unknown fields are refused." });

/** Body of `PATCH /api/v1/share/{shareId}`: any of the settings, at least one. */
export const updateShareBodySchema = z
  .strictObject(
    Object.fromEntries(Object.entries(settingsFields).map(([key, schema]) => [key, schema.optional()])) as {
      [K in keyof typeof settingsFields]: z.ZodOptional<(typeof settingsFields)[K]>;
    },
  )
  .superRefine((body, ctx) => {
    checkValidity(body, ctx);
    if (Object.keys(body).length === 0) {
      ctx.addIssue({ code: "custom", path: [], message: "Send at least one setting to change." });
    }
  })
  // minProperties tells generated clients what the refinement above enforces: `{}` is a 400.
  .meta({ id: "UpdateShareRequest", description: "Any of the settings, at least one; omitted ones keep their value.", minProperties: 1 });

/** The `shareId` path parameter: a share's public id. */
export const sharePublicIdSchema = z
  .string()
  .regex(SHARE_PUBLIC_ID_PATTERN, "Malformed share id.")
  .meta({ description: "The share's public id (the last segment of its URL)." });

/** Path parameters of `/api/v1/share/{shareId}`. */
export const shareParamsSchema = z.object({ shareId: sharePublicIdSchema });

/** Query of `GET /api/v1/share`. */
export const listSharesQuerySchema = z.object({
  conversationId: idSchema
    .optional()
    .meta({ description: "Only this conversation's shares (404 when the caller may not manage them). Absent: every share the caller manages." }),
  limit: z.coerce
    .number<string>()
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(MAX_SHARE_LIST_PAGE_SIZE, `limit must be at most ${MAX_SHARE_LIST_PAGE_SIZE}.`)
    .default(SHARE_LIST_PAGE_SIZE)
    .meta({ description: `Shares per page (1–${MAX_SHARE_LIST_PAGE_SIZE}, default ${SHARE_LIST_PAGE_SIZE}).` }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "`meta.nextCursor` of the previous page; absent for the first page." }),
});

// The domain reports its rules under its own field names; a client knows the API's.
const API_FIELD_NAMES: Record<string, string> = { validityHours: "expires_in_days" };

/** Checks the combined settings against the domain's rules, reporting API field names. */
function settingsOrThrow(input: ShareSettingsInput): ShareSettings {
  const result = shareSettingsSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    ...issue,
    path: issue.path.map((part) => (typeof part === "string" ? (API_FIELD_NAMES[part] ?? part) : part)),
  }));
  throw validationError(new z.ZodError(issues));
}

const validityHoursFrom = (fields: SettingsFields) => {
  const days = fields.expires_in_days !== undefined ? fields.expires_in_days : fields.expiresInDays;
  return days === undefined ? undefined : days === null ? null : days * 24;
};

export type CreateShareRequest = {
  conversationId: string;
  regenerate: boolean;
  settings: ShareSettings;
};

/** Parses a create body into the domain's input; any problem is a 400 naming the field. */
export function parseCreateShareBody(raw: unknown): CreateShareRequest {
  const result = createShareBodySchema.safeParse(raw);
  if (!result.success) throw validationError(result.error);
  const body = result.data;
  return {
    conversationId: body.conversationId,
    regenerate: body.regenerate,
    settings: settingsOrThrow({
      mode: MODES[body.mode],
      shareType: SHARE_TYPES[body.shareType],
      messageIds: body.messageIds ?? [],
      visibility: VISIBILITIES[body.visibility],
      allowContinuation: body.allowContinuation,
      takeOverOnOpen: body.takeOverOnOpen,
      validityHours: validityHoursFrom(body) ?? null,
      customTitle: body.customTitle,
      customDescription: body.customDescription,
    }),
  };
}

export type SharePatch = z.output<typeof updateShareBodySchema>;

/** Parses a PATCH body; the settings are combined with the share's own once it is loaded. */
export function parseUpdateShareBody(raw: unknown): SharePatch {
  const result = updateShareBodySchema.safeParse(raw);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

/**
 * The share's settings with the patch applied. Turning a link into a view link drops "take over
 * on open", and turning it into a full share drops its message list, unless the patch sets them.
 */
export function applySharePatch(current: OwnerShare, patch: SharePatch): ShareSettings {
  const mode = patch.mode ? MODES[patch.mode] : current.mode;
  const shareType = patch.shareType ? SHARE_TYPES[patch.shareType] : current.shareType;
  if (shareType === "FULL" && patch.messageIds && patch.messageIds.length > 0) {
    throw new AppError("bad_request", "messageIds: messageIds apply to a partial share only.", {
      messageIds: ["messageIds apply to a partial share only."],
    });
  }
  const validityHours = validityHoursFrom(patch);
  return settingsOrThrow({
    mode,
    shareType,
    messageIds: shareType === "FULL" ? [] : (patch.messageIds ?? current.messageIds),
    visibility: patch.visibility ? VISIBILITIES[patch.visibility] : current.visibility,
    allowContinuation: patch.allowContinuation ?? current.allowContinuation,
    takeOverOnOpen: patch.takeOverOnOpen ?? (mode === "VIEW" ? false : current.takeOverOnOpen),
    validityHours: validityHours === undefined ? current.validityHours : validityHours,
    customTitle: patch.customTitle === undefined ? current.customTitle : patch.customTitle,
    customDescription: patch.customDescription === undefined ? current.customDescription : patch.customDescription,
  });
}
