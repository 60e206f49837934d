/** Runs once when a Next.js server starts: starts the takeover sweeper and the webhook retry loop in the Node.js runtime. */
export async function register() {
  // `next build` may load this file too; the build must never open the database.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startTakeoverSweeper } = await import("@/lib/takeover/sweeper");
  startTakeoverSweeper();
  const { startWebhookRetryLoop } = await import("@/lib/webhooks/deliver");
  startWebhookRetryLoop();
}
