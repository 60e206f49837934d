-- The links page and GET /api/v1/share page through shares newest first, by (createdAt, id).
CREATE INDEX "Share_createdAt_id_idx" ON "Share"("createdAt", "id");
