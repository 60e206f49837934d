// GET /chat/<botId>/events — Server-Sent Events of the cookie's contact's conversation
import { readContactId } from "@/lib/chat/contact-cookie";
import { findContactConversation, findWebContact } from "@/lib/chat/queries";
import { AppError } from "@/lib/errors";
import { conversationEventStream, resumeAfter } from "@/lib/events/sse";
import { idSchema, jsonErrorResponse } from "@/lib/http";

export async function GET(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  const botId = idSchema.safeParse((await params).botId);
  const contactId = botId.success ? await readContactId(botId.data) : null;
  const contact = botId.success && contactId ? await findWebContact(botId.data, contactId) : null;
  // `thread`: the contact's own conversation the chat was opened on (default: their latest).
  const thread = idSchema.optional().safeParse(new URL(request.url).searchParams.get("thread") || undefined);
  const conversation = contact && thread.success ? await findContactConversation(contact, thread.data) : null;
  if (!conversation) return jsonErrorResponse(new AppError("not_found", "Conversation not found."));
  // Operators asking each other for control is no business of the contact's.
  return conversationEventStream(request, conversation.id, {
    afterId: resumeAfter(request),
    project: (event) => (event.type === "control_request" ? null : event),
  });
}
