-- Named operators: members act under a display name they choose once (never their account name).
ALTER TABLE "User" ADD COLUMN "operatorName" TEXT;

-- An operator replying on the channel itself (the business phone) holds the conversation too.
ALTER TABLE "TakeoverSession" ADD COLUMN "viaChannel" BOOLEAN NOT NULL DEFAULT false;

-- An owner or admin takes control back from an operator (End session, or Take over).
ALTER TYPE "TakeoverEndReason" ADD VALUE 'ENDED_BY_OWNER';
