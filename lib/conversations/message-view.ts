import type { MessageRole, Prisma } from "@/lib/generated/prisma/client";
import { messageHtml } from "@/lib/markdown/message-html";
import { sealPosition } from "@/lib/sealed-position";

// The reader-facing shape of messages, shared by queries, live events and the client components.

/** A message as any reader sees it: no ids of users, no variables, no storage keys. */
export type MessageView = {
  id: string;
  /**
   * The message's position, sealed (lib/sealed-position.ts): stable and opaque. The order of
   * messages is `createdAt`, then the order they arrive in; positions are not ordered.
   */
  seq: string;
  role: MessageRole;
  text: string;
  /** `text` rendered as sanitized HTML (lib/markdown/render.ts), safe to inject as it is. */
  html: string;
  authorName: string | null;
  createdAt: string;
  attachments: AttachmentView[];
};

export type AttachmentView = { id: string; fileName: string; contentType: string; size: number };

export type MessagePage = {
  messages: MessageView[];
  /** Pass as `before` to load the page of earlier messages; null when this is the first page. */
  earlierCursor: string | null;
};

/** A message's own columns that readers see (messageSelect adds its attachments). */
export const messageColumnsSelect = {
  id: true,
  seq: true,
  role: true,
  text: true,
  html: true,
  authorName: true,
  createdAt: true,
} satisfies Prisma.MessageSelect;

export const attachmentSelect = { id: true, fileName: true, contentType: true, size: true } satisfies Prisma.AttachmentSelect;

export const messageSelect = {
  ...messageColumnsSelect,
  attachments: { select: attachmentSelect, orderBy: { createdAt: "asc" } },
} satisfies Prisma.MessageSelect;

export type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;

export function toMessageView(message: MessageRow): MessageView {
  return {
    id: message.id,
    seq: sealPosition(message.seq),
    role: message.role,
    text: message.text,
    html: messageHtml(message),
    authorName: message.authorName,
    createdAt: message.createdAt.toISOString(),
    attachments: message.attachments.map((attachment) => ({ ...attachment, size: Number(attachment.size) })),
  };
}

