import { z } from "zod";

// Not "server-only": the seed and the command line (tsx) read it too. A client bundle would see
// none of these values (Next inlines only NEXT_PUBLIC_ variables), and none is imported there.

const flag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) => value === "true" || value === "1");

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const positiveNumber = (fallback: number) => z.coerce.number().positive().default(fallback);

/** A rate limit: at most `points` within `seconds`, fixed window per key. */
export type RateLimitSetting = { points: number; seconds: number };

const DURATION_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** `<count>/<window>` with the window in s, m or h ("10/15m"), or "off"; null means no limit. */
const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, context): RateLimitSetting | null => {
      if (value.trim().toLowerCase() === "off") return null;
      const match = /^\s*(\d+)\s*\/\s*(\d+)\s*([smh]?)\s*$/.exec(value);
      const points = Number(match?.[1]);
      const seconds = Number(match?.[2]) * DURATION_SECONDS[(match?.[3] || "s") as keyof typeof DURATION_SECONDS];
      if (!match || points < 1 || seconds < 1) {
        context.addIssue({ code: "custom", message: `expected <count>/<window> such as 10/15m, or off; got "${value}"` });
        return z.NEVER;
      }
      return { points, seconds };
    });

/** Every environment variable the app reads, with its default. README's configuration table lists them. */
const envSchema = z.object({
  NODE_ENV: z.string().default("development"),
  PORT: positiveInt(3000),
  /** pglite:<dir>, pglite:memory or postgres://… (lib/database-url.ts); unset: PGlite in ./data/pglite. */
  DATABASE_URL: z.string().optional(),
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
  /**
   * The app is reached only through a reverse proxy that appends the client's address to
   * X-Forwarded-For; per-IP rate limits then key on that last hop.
   */
  TRUST_PROXY: flag,
  /** Failed sign-ins per account (email) before it is refused, even with the right password. */
  RATE_LIMIT_SIGN_IN_ACCOUNT: rateLimit("10/15m"),
  /** Failed sign-ins per client IP, whatever the account. */
  RATE_LIMIT_SIGN_IN_IP: rateLimit("50/15m"),
  /** Web-chat messages per contact (each attached file counts as one more). */
  RATE_LIMIT_CHAT_CONTACT: rateLimit("30/1m"),
  /** Web-chat messages per client IP, all contacts and bots together. */
  RATE_LIMIT_CHAT_IP: rateLimit("120/1m"),
  /** Typing and read-state reports per contact or takeover session (the web chat sends one every ~2 s while typing). */
  RATE_LIMIT_PRESENCE: rateLimit("90/1m"),
  /** Share-link lookups of unknown or unavailable ids per client IP. */
  RATE_LIMIT_SHARE_LOOKUP_IP: rateLimit("30/10m"),
  /** "Continue this conversation" requests per client IP (each new one copies the shared messages and files). */
  RATE_LIMIT_CONTINUE_IP: rateLimit("20/10m"),
  /** REST API requests per API token. */
  RATE_LIMIT_API_TOKEN: rateLimit("600/1m"),
  /** redis://host:port: live-update wake-ups go through Redis pub/sub instead of PostgreSQL NOTIFY. */
  EVENTS_URL: z
    .string()
    .regex(/^rediss?:\/\/[^/?#]/, "EVENTS_URL must be redis://host:port or rediss://host:port")
    .optional(),
  /** While a process has live readers, it rereads their conversations this often, in case a wake-up was lost. */
  EVENTS_POLL_SECONDS: positiveNumber(15),
  /** After SIGTERM, how long /api/ready answers 503 while the instance still serves, so a balancer moves traffic first. */
  SHUTDOWN_ANNOUNCE_SECONDS: z.coerce.number().min(0).default(3),
  /** Then, how long open requests may take to finish before the process exits anyway. */
  SHUTDOWN_GRACE_SECONDS: positiveNumber(10),
  /** Waits between webhook attempts, e.g. "5s,30s,2m,10m,30m,1h,2h,4h,8h,8h,8h"; its length + 1 attempts in all. */
  WEBHOOK_RETRY_SCHEDULE: z
    .string()
    .default("5s,30s,2m,10m,30m,1h,2h,4h,8h,8h,8h")
    .transform((schedule, context) => {
      const units = { s: 1_000, m: 60_000, h: 3_600_000 } as const;
      const waits = schedule.split(",").map((part) => /^\s*(\d+)\s*([smh])\s*$/.exec(part));
      if (waits.length > 50 || waits.some((wait) => !wait || Number(wait[1]) === 0)) {
        context.addIssue({ code: "custom", message: "WEBHOOK_RETRY_SCHEDULE: comma-separated waits such as 5s,30s,2m,1h (at most 50)." });
        return z.NEVER;
      }
      return waits.map((wait) => Number(wait![1]) * units[wait![2] as keyof typeof units]);
    }),
  /** Signs sessions (next-auth) and the web chat's contact cookies. */
  NEXTAUTH_SECRET: z.string().optional(),
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
