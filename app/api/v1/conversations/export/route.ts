import { z } from "zod";
import { openOrganizationExport } from "@/lib/export/queries";
import { exportResponse } from "@/lib/export/response";
import { organizationExportQuery } from "@/lib/export/schemas";
import { exportRoute } from "@/lib/export/route";

// GET /api/v1/conversations/export?format=&botId=&from=&to= — every readable conversation as one file
export const GET = exportRoute({ params: z.object({}), query: organizationExportQuery }, async ({ actor, query }) => {
  const { format, ...filter } = query;
  const { entries } = await openOrganizationExport(actor, filter);
  return exportResponse(format, `conversations-${new Date().toISOString().slice(0, 10)}`, entries);
});
