/**
 * What a request left behind, for tests that must prove a refused request changed nothing: the
 * rows of some organizations, and the files written to storage.
 */
import { prisma } from "@/lib/db";
import { getFileStorage, setFileStorage } from "@/lib/storage";

/**
 * Every row an API request could write in these organizations, counted in one round trip (property
 * tests count after each of hundreds of requests). Scoped, because on a shared PostgreSQL other
 * test files write at the same time.
 */
export async function organizationRowCounts(organizationIds: string[]) {
  const [counts] = await prisma.$queryRaw<Record<string, number>[]>`
    WITH org_bots AS (
      SELECT id FROM "Bot" WHERE "organizationId" = ANY(${organizationIds})
    ), org_conversations AS (
      SELECT id FROM "Conversation" WHERE "botId" IN (SELECT id FROM org_bots)
    ), org_shares AS (
      SELECT id FROM "Share" WHERE "conversationId" IN (SELECT id FROM org_conversations)
    ), org_tokens AS (
      SELECT id FROM "ApiToken"
      WHERE "botId" IN (SELECT id FROM org_bots)
         OR "userId" IN (SELECT "userId" FROM "Membership" WHERE "organizationId" = ANY(${organizationIds}))
    )
    SELECT
      (SELECT count(*) FROM org_bots)::int AS "bots",
      (SELECT count(*) FROM "Membership" WHERE "organizationId" = ANY(${organizationIds}))::int AS "memberships",
      (SELECT count(*) FROM org_tokens)::int AS "apiTokens",
      (SELECT count(*) FROM "Contact" WHERE "botId" IN (SELECT id FROM org_bots))::int AS "contacts",
      (SELECT count(*) FROM org_conversations)::int AS "conversations",
      (SELECT count(*) FROM "Message" WHERE "conversationId" IN (SELECT id FROM org_conversations))::int AS "messages",
      (SELECT count(*) FROM "Attachment" WHERE "conversationId" IN (SELECT id FROM org_conversations))::int AS "attachments",
      (SELECT count(*) FROM "ConversationEvent" WHERE "conversationId" IN (SELECT id FROM org_conversations))::int AS "conversationEvents",
      (SELECT count(*) FROM "TakeoverSession" WHERE "conversationId" IN (SELECT id FROM org_conversations))::int AS "takeoverSessions",
      (SELECT count(*) FROM "Transfer"
        WHERE "sourceConversationId" IN (SELECT id FROM org_conversations)
           OR "targetConversationId" IN (SELECT id FROM org_conversations))::int AS "transfers",
      (SELECT count(*) FROM "WebhookDelivery" WHERE "botId" IN (SELECT id FROM org_bots))::int AS "webhookDeliveries",
      (SELECT count(*) FROM org_shares)::int AS "shares",
      (SELECT count(*) FROM "ShareMessage" WHERE "shareId" IN (SELECT id FROM org_shares))::int AS "shareMessages",
      (SELECT count(*) FROM "IdempotencyRecord" WHERE "actorKey" IN (SELECT id FROM org_tokens))::int AS "idempotencyRecords",
      (SELECT count(*) FROM "AuditEvent" WHERE "organizationId" = ANY(${organizationIds}))::int AS "auditEvents",
      (SELECT count(*) FROM org_conversations c JOIN "Conversation" USING (id) WHERE "needsHumanAt" IS NOT NULL)::int AS "waitingForAPerson",
      (SELECT count(*) FROM "ConversationReadMarker" WHERE "conversationId" IN (SELECT id FROM org_conversations))::int AS "readMarkers",
      (SELECT count(*) FROM "NotificationDelivery" WHERE "organizationId" = ANY(${organizationIds}))::int AS "notificationDeliveries",
      (SELECT count(*) FROM "Organization" WHERE id = ANY(${organizationIds}) AND "notificationWebhookUrl" IS NOT NULL)::int AS "notificationWebhooks"
  `;
  return counts;
}

/**
 * From now on, records the key of every file written to the process's storage (the writes still
 * happen). Returns the live list; `stop` puts the storage back as it was.
 */
export function recordStorageWrites(): { keys: string[]; stop: () => void } {
  const storage = getFileStorage();
  const keys: string[] = [];
  setFileStorage({
    open: (key, range) => storage.open(key, range),
    stat: (key) => storage.stat(key),
    remove: (key) => storage.remove(key),
    ping: () => storage.ping(),
    write: (key, data) => {
      keys.push(key);
      return storage.write(key, data);
    },
  });
  return { keys, stop: () => setFileStorage(storage) };
}
