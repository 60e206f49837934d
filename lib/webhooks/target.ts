import "server-only";
import { AppError } from "@/lib/errors";
import { privateUrlProblem } from "@/lib/webhooks/outbound";

/**
 * What a webhook form's URL and secret mean for the stored pair: an empty URL turns delivery off,
 * an empty secret keeps the current one. Throws a field error for a private address or a URL
 * with no secret to sign with.
 */
export function resolveWebhookTarget(
  webhookUrl: string,
  webhookSecret: string,
  currentSecret: string | null,
): { enabled: boolean; url: string | null; secret: string | null } {
  const enabled = webhookUrl !== "";
  if (!enabled) return { enabled, url: null, secret: null };
  const problem = privateUrlProblem(webhookUrl);
  if (problem) throw new AppError("bad_request", problem, { webhookUrl: [problem] });
  const secret = webhookSecret || currentSecret;
  if (!secret) {
    const message = "A webhook needs a secret to sign its deliveries.";
    throw new AppError("bad_request", message, { webhookSecret: [message] });
  }
  return { enabled, url: webhookUrl, secret };
}
