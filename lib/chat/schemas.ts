import { z } from "zod";
import { hasNoNul, noNulMessage } from "@/lib/storable-text";
import { idSchema } from "@/lib/ids";

export const MAX_CHAT_TEXT = 4000;
export const MAX_CHAT_FILES = 5;
/** Shown to flows as `{{contact_name}}` when the contact gives no name. */
export const DEFAULT_CONTACT_NAME = "Guest";

const storedFileSchema = z.object({
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  storageKey: z.string(),
});

/** A contact's message from a channel: some text, some files, or both. */
export const contactMessageSchema = z
  .object({
    botId: idSchema,
    /**
     * One of the contact's own conversations to write in (the web chat opened on it); without it,
     * their latest, or a new one. Another's, or one that does not exist, is not found.
     */
    conversationId: idSchema.optional(),
    /** The contact's id on its channel (the channel API); the web chat's contacts are named by their actor. */
    contactExternalId: z.string().min(1).max(200).refine(hasNoNul, noNulMessage("The contact id")).optional(),
    contactName: z
      .string()
      .trim()
      .max(100, "Your name must be at most 100 characters.")
      .refine(hasNoNul, noNulMessage("Your name"))
      .optional()
      .transform((name) => name || DEFAULT_CONTACT_NAME),
    text: z
      .string()
      .trim()
      .max(MAX_CHAT_TEXT, `A message must be at most ${MAX_CHAT_TEXT} characters.`)
      .refine(hasNoNul, noNulMessage("A message"))
      .default(""),
    /**
     * The channel a first message opens its conversation on (web chat: "web"; the channel API: its
     * own). "web" also makes the contact a WEB contact, any other a CHANNEL contact.
     */
    channel: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "channel must be 1–32 lowercase letters, digits, - or _.")
      .default("web"),
    /** Files to store, or files the caller already streamed into storage (the web chat). */
    files: z
      .array(z.union([z.instanceof(File), storedFileSchema]))
      .max(MAX_CHAT_FILES, `Attach at most ${MAX_CHAT_FILES} files.`)
      .default([]),
  })
  .refine((message) => message.text !== "" || message.files.length > 0, {
    path: ["text"],
    message: "Write a message or attach a file.",
  });

export type ContactMessageInput = z.input<typeof contactMessageSchema>;
