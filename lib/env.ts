import "server-only";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

/** Every environment variable the app reads, with its default. README's configuration table lists them. */
const envSchema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: positiveInt(3000),
  /** The public base URL used in share links. */
  APP_URL: z.url().optional(),
  /** Where the local file storage keeps attachments (when STORAGE_URL is unset). */
  STORAGE_DIR: z.string().default("data/files"),
  /** `s3://bucket/prefix`: keep attachments in S3 (or an S3-compatible server) instead of STORAGE_DIR. */
  STORAGE_URL: z.string().regex(/^s3:\/\/[^/]+/, "STORAGE_URL must look like s3://bucket/prefix").optional(),
  /** The S3 region (the SDK's own variable; any value for most S3-compatible servers). */
  AWS_REGION: z.string().optional(),
  /** An S3-compatible server's URL instead of AWS (the SDK's own variable). */
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  /** WHEN_SUPPORTED or WHEN_REQUIRED; defaults to WHEN_REQUIRED with a custom endpoint (see lib/storage/s3.ts). */
  AWS_REQUEST_CHECKSUM_CALCULATION: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(["WHEN_SUPPORTED", "WHEN_REQUIRED"]))
    .optional(),
  /** Address buckets as https://host/bucket rather than https://bucket.host (most S3-compatible servers need it). */
  S3_FORCE_PATH_STYLE: flag,
  /** Largest attachment accepted, in bytes. */
  MAX_UPLOAD_BYTES: positiveInt(25 * 1024 * 1024),
  /** An operator silent this long loses control to the bot. */
  TAKEOVER_STALE_MINUTES: positiveNumber(15),
  /** A transfer without a contact message this long returns to the source bot. */
  TRANSFER_STALE_MINUTES: positiveNumber(30),
  /** Lets bot webhooks reach loopback and private addresses (refused by default). */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: flag,
});

export type Env = z.output<typeof envSchema> & { APP_URL: string; secureCookies: boolean };

// Unset and empty mean the same: the default.
function definedValues(source: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ""));
}

let cached: { source: string; env: Env } | null = null;

/**
 * The validated configuration. Read on use rather than once at import, so a test (or the CLI)
 * that sets a variable sees it; the parse is cached for as long as the variables stay the same.
 */
export function readEnv(): Env {
  const values = definedValues(process.env);
  const keys = Object.keys(envSchema.shape);
  const source = JSON.stringify(keys.map((key) => values[key] ?? null));
  if (cached?.source === source) return cached.env;
  const parsed = envSchema.parse(Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]])));
  const appUrl = (parsed.APP_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/+$/, "");
  const env: Env = {
    ...parsed,
    APP_URL: appUrl,
    // Cookies are Secure whenever the app is served over https, and never over plain http
    // (a Secure cookie would be dropped by the browser there).
    secureCookies: appUrl.startsWith("https://"),
  };
  cached = { source, env };
  return env;
}

/** The configuration, read through readEnv on every property access. */
export const env: Readonly<Env> = new Proxy({} as Env, {
  get: (_target, property) => readEnv()[property as keyof Env],
});
