-- The inbox: "needs a person" on conversations, per-member read markers, and an organization's
-- notification webhook with its deliveries.
ALTER TABLE "Conversation" ADD COLUMN "needsHumanAt" TIMESTAMP(3);
ALTER TABLE "Conversation" ADD COLUMN "needsHumanNote" TEXT;

ALTER TABLE "Organization" ADD COLUMN "notificationWebhookUrl" TEXT;
ALTER TABLE "Organization" ADD COLUMN "notificationWebhookSecret" TEXT;

CREATE TABLE "ConversationReadMarker" (
    "userId" TEXT NOT NULL,
    "conversationId" TEXT NOT NULL,
    "lastReadSeq" BIGINT NOT NULL,
    "readAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConversationReadMarker_pkey" PRIMARY KEY ("userId", "conversationId")
);

CREATE INDEX "ConversationReadMarker_conversationId_idx" ON "ConversationReadMarker"("conversationId");

ALTER TABLE "ConversationReadMarker" ADD CONSTRAINT "ConversationReadMarker_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "ConversationReadMarker" ADD CONSTRAINT "ConversationReadMarker_conversationId_fkey" FOREIGN KEY ("conversationId") REFERENCES "Conversation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "NotificationDelivery" (
    "id" TEXT NOT NULL,
    "organizationId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "lastStatusCode" INTEGER,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "NotificationDelivery_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "NotificationDelivery_status_nextAttemptAt_idx" ON "NotificationDelivery"("status", "nextAttemptAt");
CREATE INDEX "NotificationDelivery_organizationId_createdAt_idx" ON "NotificationDelivery"("organizationId", "createdAt");

ALTER TABLE "NotificationDelivery" ADD CONSTRAINT "NotificationDelivery_organizationId_fkey" FOREIGN KEY ("organizationId") REFERENCES "Organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
