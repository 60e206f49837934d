import "server-only";
import { z } from "zod";

const envSchema = z.object({
  PORT: z.coerce.number().int().positive().default(3000),
  /** The public base URL used in share links. */
  APP_URL: z.url().optional(),
  /** Where the local file storage keeps attachments. */
  STORAGE_DIR: z.string().default("data/files"),
  /** Largest attachment accepted, in bytes. */
  MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(25 * 1024 * 1024),
});

const parsed = envSchema.parse(process.env);

export const env = {
  ...parsed,
  APP_URL: (parsed.APP_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, ""),
};
