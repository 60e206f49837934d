-- "Take over on open" fires once per link, for the first browser that opens it (never again on a
-- reload or in another tab, which took control back after a hand back).
ALTER TABLE "Share" ADD COLUMN "takeOverOnOpenUsedAt" TIMESTAMP(3);
