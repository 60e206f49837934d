-- Messages are rendered to HTML once, when written. Older rows stay NULL and are rendered on read.
ALTER TABLE "Message" ADD COLUMN "html" TEXT;
