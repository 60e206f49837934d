import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** The bot page's webhook form: an empty URL turns delivery off; an empty secret keeps the current one. */
export const botWebhookSchema = z.object({
  botId: idSchema,
  webhookUrl: z
    .string()
    .trim()
    .max(2000, "The URL must be at most 2,000 characters.")
    .refine((url) => url === "" || /^https?:\/\/[^\s]+$/i.test(url), "Enter an http:// or https:// URL.")
    .refine((url) => url === "" || URL.canParse(url), "Enter a valid URL.")
    .default(""),
  webhookSecret: z
    .string()
    .trim()
    .max(200, "The secret must be at most 200 characters.")
    .refine((secret) => secret === "" || secret.length >= 16, "Use a secret of at least 16 characters.")
    .default(""),
});

export type BotWebhookInput = z.input<typeof botWebhookSchema>;
