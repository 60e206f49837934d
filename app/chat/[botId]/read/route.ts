// POST /chat/<botId>/read — the web chat has shown its contact every message up to { messageId }
import { markSeenByContact } from "@/lib/presence/mutations";
import { presenceReportResponse, webChatParty } from "@/lib/presence/routes";
import { readBodySchema } from "@/lib/presence/schemas";

export async function POST(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  const { botId } = await params;
  return presenceReportResponse(request, {
    authenticate: () => webChatParty(botId),
    schema: readBodySchema,
    act: ({ contact, conversationId }, { messageId }) => markSeenByContact(contact, { conversationId, messageId }),
  });
}
