/**
 * Runs once when a Next.js server starts: starts the takeover sweeper, the transfer sweeper and
 * the webhook retry loop in the Node.js runtime.
 */
export async function register() {
  // `next build` may load this file too; the build must never open the database.
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { startTakeoverSweeper } = await import("@/lib/takeover/sweeper");
  startTakeoverSweeper();
  // Without it a stale transfer only closed when the contact wrote again (lib/chat): the owner
  // saw the conversation as "Transferred" indefinitely although PRODUCT.md §6 says it closes by itself.
  const { startTransferSweeper } = await import("@/lib/transfers/sweeper");
  startTransferSweeper();
  const { startWebhookRetryLoop } = await import("@/lib/webhooks/deliver");
  startWebhookRetryLoop();
}
