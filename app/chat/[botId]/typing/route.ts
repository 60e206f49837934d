// POST /chat/<botId>/typing — the contact is typing ({ typing: true }) or stopped
// GET  /chat/<botId>/typing — Server-Sent Events: the operator's typing, for the contact
import { conversationSignalStream } from "@/lib/events/signals";
import { jsonErrorResponse } from "@/lib/http";
import { reportContactTyping } from "@/lib/presence/mutations";
import { presenceReportResponse, webChatParty } from "@/lib/presence/routes";
import { typingBodySchema } from "@/lib/presence/schemas";

type Params = { params: Promise<{ botId: string }> };

export async function POST(request: Request, { params }: Params) {
  const { botId } = await params;
  return presenceReportResponse(request, {
    authenticate: () => webChatParty(botId),
    schema: typingBodySchema,
    act: ({ contact, conversationId }, { typing }) => reportContactTyping(contact, { conversationId, typing }),
  });
}

export async function GET(request: Request, { params }: Params) {
  try {
    const { conversationId } = await webChatParty((await params).botId);
    // The contact's conversation changes with a transfer; the page then opens a new stream.
    return conversationSignalStream(request, conversationId, { pick: (signal) => signal.from === "operator", accept: async () => true });
  } catch (error) {
    return jsonErrorResponse(error);
  }
}
