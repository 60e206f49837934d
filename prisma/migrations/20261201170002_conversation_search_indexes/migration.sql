-- The owner list's search (ILIKE '%…%' on the title, the contact's name and channel id) through
-- trigram indexes instead of a scan of every conversation. pg_trgm is a trusted extension
-- (PostgreSQL 13+), and PGlite loads it from @electric-sql/pglite/contrib/pg_trgm.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Conversation_title_trgm_idx" ON "Conversation" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "Contact_name_trgm_idx" ON "Contact" USING GIN ("name" gin_trgm_ops);
CREATE INDEX "Contact_externalId_trgm_idx" ON "Contact" USING GIN ("externalId" gin_trgm_ops);
-- Newest first within a bot, with the id tie-break the list orders by: the list reads 50 index
-- entries instead of sorting the bot's conversations.
CREATE INDEX "Conversation_botId_lastMessageAt_id_idx" ON "Conversation" ("botId", "lastMessageAt" DESC, "id" DESC);
