-- Messages are rendered to HTML once, when written; older rows stay NULL and are rendered on read.
ALTER TABLE "Message" ADD COLUMN "html" TEXT;
