/**
 * Runs once when a Next.js server starts: starts, in the Node.js runtime, the sweepers that end
 * due takeovers and stale transfers, the webhook retry loop and the organization notification loop, and installs the graceful
 * shutdown (SIGTERM drains this instance, see lib/health/shutdown.ts). Every instance runs the
 * sweepers; their conditional updates make each ending and each delivery attempt happen once.
 */
export async function register() {
  // `next build` may load this file too; the build must never open the database.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { env } = await import("@/lib/env");
  const { installGracefulShutdown } = await import("@/lib/health/shutdown");
  installGracefulShutdown({ announceMs: env.SHUTDOWN_ANNOUNCE_SECONDS * 1000, graceMs: env.SHUTDOWN_GRACE_SECONDS * 1000 });
  const { startTakeoverSweeper } = await import("@/lib/takeover/sweeper");
  startTakeoverSweeper();
  const { startTransferSweeper } = await import("@/lib/transfers/sweeper");
  startTransferSweeper();
  const { startWebhookRetryLoop } = await import("@/lib/webhooks/deliver");
  startWebhookRetryLoop();
  const { startNotificationLoop } = await import("@/lib/notifications/deliver");
  startNotificationLoop();
}
