import { z } from "zod";
import type { OwnerShare } from "@/lib/shares/queries";

const timestamp = z.iso.datetime({ offset: true });

/**
 * The `<share>` object of the v1 API (PRODUCT.md §5). The handlers build it with toShareDto and
 * the OpenAPI document is generated from this schema, so the two cannot drift apart.
 */
export const shareDtoSchema = z
  .object({
    id: z.string().meta({ description: "Internal id of the share." }),
    shareId: z.string().meta({ description: "The public id: the last segment of the share URL." }),
    userId: z.string().nullable().meta({ description: "The member who created the share; null when a bot did (its token or its flow)." }),
    createdBy: z
      .object({ type: z.enum(["member", "bot"]), id: z.string().nullable() })
      .meta({ description: "Who created the share: a member (their user id) or a bot (its id; null once the bot is deleted)." }),
    conversationId: z.string(),
    shareType: z.enum(["full", "partial"]),
    visibility: z.enum(["public", "organization", "private"]),
    mode: z.enum(["view", "takeover", "auto"]),
    allowContinuation: z.boolean(),
    viewCount: z.int().nonnegative(),
    continuationCount: z.int().nonnegative(),
    createdAt: timestamp,
    updatedAt: timestamp,
    status: z.enum(["active", "revoked", "expired"]),
    messageIds: z.array(z.string()).meta({ description: "The shared messages of a partial share; empty for a full one." }),
    customTitle: z.string().nullable(),
    customDescription: z.string().nullable(),
    lastViewedAt: timestamp.nullable(),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "Share", description: "A share link of a conversation, as its owner sees it." });

export type ShareDto = z.infer<typeof shareDtoSchema>;

/**
 * The same schema refusing unknown keys, with the invariants a client may rely on: the one check
 * of the `<share>` shape that the route tests and the HTTP contract tests both use.
 */
export const exactShareDtoSchema = shareDtoSchema
  .strict()
  .refine((share) => share.id !== share.shareId, "id and shareId differ")
  .refine((share) => (share.createdBy.type === "member" ? share.userId === share.createdBy.id : share.userId === null), "userId is the member who created it");

/** `data` of a successful create: the new (or reused) link and its share. */
export const createdShareDtoSchema = z
  .object({
    shareId: z.string(),
    shareUrl: z.url(),
    conversation: shareDtoSchema,
  })
  .meta({ id: "CreatedShare" });

const iso = (date: Date | null) => (date ? date.toISOString() : null);

const MODE = { VIEW: "view", TAKEOVER: "takeover", AUTO: "auto" } as const;
const SHARE_TYPE = { FULL: "full", PARTIAL: "partial" } as const;
const VISIBILITY = { PUBLIC: "public", ORGANIZATION: "organization", PRIVATE: "private" } as const;

/** The API's view of a share: public id as shareId, lowercase enums, ISO timestamps. */
export function toShareDto(share: OwnerShare): ShareDto {
  return {
    id: share.id,
    shareId: share.publicId,
    userId: share.userId,
    createdBy: share.userId !== null ? { type: "member", id: share.userId } : { type: "bot", id: share.createdByBotId },
    conversationId: share.conversationId,
    shareType: SHARE_TYPE[share.shareType],
    visibility: VISIBILITY[share.visibility],
    mode: MODE[share.mode],
    allowContinuation: share.allowContinuation,
    viewCount: share.viewCount,
    continuationCount: share.continuationCount,
    createdAt: share.createdAt.toISOString(),
    updatedAt: share.updatedAt.toISOString(),
    status: share.status,
    messageIds: share.messageIds,
    customTitle: share.customTitle,
    customDescription: share.customDescription,
    lastViewedAt: iso(share.lastViewedAt),
    expiresAt: iso(share.expiresAt),
    revokedAt: iso(share.revokedAt),
  };
}

/** What a share created with no settings looks like over the API (the defaults of PRODUCT.md §2). */
export const DEFAULT_SHARE_FIELDS = {
  shareType: "full",
  visibility: "public",
  mode: "view",
  allowContinuation: false,
  viewCount: 0,
  continuationCount: 0,
  status: "active",
  messageIds: [],
  customTitle: null,
  customDescription: null,
  lastViewedAt: null,
  expiresAt: null,
  revokedAt: null,
} as const satisfies Partial<ShareDto>;
