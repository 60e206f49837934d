-- Contacts carry how they reach the bot, and the kind is part of their key: a web-chat cookie can
-- no longer name a contact of a channel (WhatsApp, LINE, …) of the same bot.
CREATE TYPE "ContactKind" AS ENUM ('WEB', 'CHANNEL');

ALTER TABLE "Contact" ADD COLUMN "kind" "ContactKind" NOT NULL DEFAULT 'CHANNEL';

-- Backfill: a contact who talks through the web chat has a conversation on the "web" channel
-- (a transfer's target conversation keeps its source's channel, so those count too).
UPDATE "Contact" SET "kind" = 'WEB'
WHERE EXISTS (SELECT 1 FROM "Conversation" WHERE "Conversation"."contactId" = "Contact"."id" AND "Conversation"."channel" = 'web');

DROP INDEX "Contact_botId_externalId_key";
CREATE UNIQUE INDEX "Contact_botId_kind_externalId_key" ON "Contact"("botId", "kind", "externalId");
