import { openConversationExport } from "@/lib/export/queries";
import { exportResponse } from "@/lib/export/response";
import { conversationExportParams, conversationExportQuery } from "@/lib/export/schemas";
import { exportRoute } from "@/lib/export/route";

// GET /api/v1/conversations/{id}/export?format=json|csv|md|parquet — one conversation's transcript
export const GET = exportRoute({ params: conversationExportParams, query: conversationExportQuery }, async ({ actor, params, query }) => {
  const { title, entries } = await openConversationExport(actor, params.id);
  return exportResponse(query.format, title, entries);
});
