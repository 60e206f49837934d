import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** Longest public display name accepted: it must fit one line of a link preview. */
export const MAX_PUBLIC_NAME = 60;

const publicNameText = z
  .string()
  .trim()
  .max(MAX_PUBLIC_NAME, `Use at most ${MAX_PUBLIC_NAME} characters.`)
  // Line breaks and other control characters would break a preview's single line.
  .regex(/^[^\p{Cc}]*$/u, "Use letters, digits, spaces and punctuation only.");

export const updatePublicNameSchema = z.object({
  organizationId: idSchema,
  /** Empty, only spaces or null removes the name: shares then show none. */
  publicName: z
    .string()
    .nullable()
    .transform((name) => name ?? "")
    .pipe(publicNameText)
    .transform((name) => name || null),
});

export type UpdatePublicNameInput = z.input<typeof updatePublicNameSchema>;
