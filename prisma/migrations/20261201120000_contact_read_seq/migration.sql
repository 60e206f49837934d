-- The newest message the web chat has shown its contact (read state for the operator console).
ALTER TABLE "Conversation" ADD COLUMN "contactReadSeq" BIGINT;
