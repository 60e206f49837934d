import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** A webhook URL as owners type it: empty turns delivery off. */
export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "The URL must be at most 2,000 characters.")
  .refine((url) => url === "" || /^https?:\/\/[^\s]+$/i.test(url), "Enter an http:// or https:// URL.")
  .refine((url) => url === "" || URL.canParse(url), "Enter a valid URL.")
  .default("");

/** A webhook's signing secret as owners type it: empty keeps the current one. */
export const webhookSecretSchema = z
  .string()
  .trim()
  .max(200, "The secret must be at most 200 characters.")
  .refine((secret) => secret === "" || secret.length >= 16, "Use a secret of at least 16 characters.")
    // A Standard Webhooks secret is used decoded (lib/webhooks/deliver.ts standardWebhookSecret).
  .refine(
      (secret) => !secret.startsWith("whsec_") || (/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) && secret.length % 4 === 2),
      "A whsec_ secret is whsec_ followed by base64, as your Standard Webhooks library prints it.",
    )
  .default("");

/** The bot page's webhook form: an empty URL turns delivery off; an empty secret keeps the current one. */
export const botWebhookSchema = z.object({ botId: idSchema, webhookUrl: webhookUrlSchema, webhookSecret: webhookSecretSchema });

export type BotWebhookInput = z.input<typeof botWebhookSchema>;

/** The conversation page's "Retry" on a failed delivery. */
export const retryDeliverySchema = z.object({ deliveryId: idSchema });

export type RetryDeliveryInput = z.input<typeof retryDeliverySchema>;
