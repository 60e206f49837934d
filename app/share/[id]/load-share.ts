import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { getActor } from "@/lib/auth/current-actor";
import { AppError } from "@/lib/errors";
import { jsonErrorResponse, shareNotAvailableResponse } from "@/lib/http";
import { assertShareLookupAllowed, clientIp, recordFailedShareLookup } from "@/lib/rate-limit";
import { isPageRenderRequest } from "@/lib/shares/page-cache";
import { openShare, type OpenShareOptions } from "@/lib/shares/public";

type OpenedShare = NonNullable<Awaited<ReturnType<typeof openShare>>>;

/** A lookup's outcome: the share (null when not available), or how long this address must wait. */
export type ShareLookup = { share: OpenedShare | null; retryAfterSeconds?: undefined } | { share: null; retryAfterSeconds: number };

/**
 * The share as this request's viewer may see it; cached for one render. Only misses count
 * against the address (see lib/rate-limit/limits.ts), and an address over the limit is refused
 * every lookup, so a guess that happens to hit cannot be told apart while it waits.
 */
export const lookUpShare = cache(async (publicId: string, options?: OpenShareOptions): Promise<ShareLookup> => {
  const requestHeaders = await headers();
  const ip = clientIp(requestHeaders);
  // The limit and the share are read together (two round trips at once); the share is only
  // answered when the address may look. The server's own request for a cached page skips the
  // limit: the proxy has just applied the viewer's.
  const [allowed, share] = await Promise.all([
    isPageRenderRequest(requestHeaders) ? null : assertShareLookupAllowed(ip).catch((error: unknown) => error),
    openShare(publicId, await getActor(), options),
  ]);
  if (allowed instanceof AppError && allowed.retryAfterSeconds) return { share: null, retryAfterSeconds: allowed.retryAfterSeconds };
  if (allowed) throw allowed;
  if (!share) await recordFailedShareLookup(ip);
  return { share };
});

/** The share, or null whatever the reason (not available, or this address is waiting). */
export async function loadShare(publicId: string): Promise<OpenedShare | null> {
  return (await lookUpShare(publicId)).share;
}

/** For route handlers: the share, or the answer to send instead (404, or 429 with Retry-After). */
export async function loadShareForRoute(publicId: string, options?: OpenShareOptions): Promise<OpenedShare | Response> {
  const { share, retryAfterSeconds } = await lookUpShare(publicId, options);
  if (retryAfterSeconds) return jsonErrorResponse(new AppError("rate_limited", "Too many requests. Try again later.", undefined, retryAfterSeconds));
  return share ?? shareNotAvailableResponse();
}
