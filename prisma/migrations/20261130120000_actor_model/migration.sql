-- Who created a share: a member (userId), or a bot through its token or its flow (createdByBotId),
-- and with which API token, if any. Bots no longer pose as their organization's oldest owner.
ALTER TABLE "Share" ADD COLUMN     "createdByBotId" TEXT,
ADD COLUMN     "createdByTokenId" TEXT,
ALTER COLUMN "userId" DROP NOT NULL;

ALTER TABLE "Share" ADD CONSTRAINT "Share_createdByBotId_fkey" FOREIGN KEY ("createdByBotId") REFERENCES "Bot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "Share" ADD CONSTRAINT "Share_createdByTokenId_fkey" FOREIGN KEY ("createdByTokenId") REFERENCES "ApiToken"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- At most one open takeover session per conversation, enforced by the database itself (the
-- conditional update under the row lock already guarantees it, and this makes a bug a loud error
-- rather than two operators). Prisma's schema language has no partial indexes, so it lives here.
CREATE UNIQUE INDEX "TakeoverSession_one_open_per_conversation" ON "TakeoverSession" ("conversationId") WHERE "endedAt" IS NULL;
