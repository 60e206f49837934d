-- The CRC-32 of each uploaded file, computed while it is written, so "Download all" can put it
-- in every ZIP local header (no data descriptors). Older files keep NULL.
ALTER TABLE "Attachment" ADD COLUMN "crc32" INTEGER;
