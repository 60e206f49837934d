-- "Continue this conversation": a share's viewer gets their own copy of the shared messages. The
-- copy remembers the link and the conversation it came from: one copy per link and contact, so a
-- second click (or two at once) finds the first.
ALTER TABLE "Conversation" ADD COLUMN "forkedFromShareId" TEXT;
ALTER TABLE "Conversation" ADD COLUMN "forkedFromConversationId" TEXT;

CREATE UNIQUE INDEX "Conversation_forkedFromShareId_contactId_key" ON "Conversation"("forkedFromShareId", "contactId");
CREATE INDEX "Conversation_forkedFromConversationId_idx" ON "Conversation"("forkedFromConversationId");

ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_forkedFromShareId_fkey" FOREIGN KEY ("forkedFromShareId") REFERENCES "Share"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_forkedFromConversationId_fkey" FOREIGN KEY ("forkedFromConversationId") REFERENCES "Conversation"("id") ON DELETE SET NULL ON UPDATE CASCADE;
