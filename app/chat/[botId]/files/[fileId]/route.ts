// GET /chat/<botId>/files/<fileId> — a web-chat contact downloads a file of their own conversation
import { readContactId } from "@/lib/chat/contact-cookie";
import { findContactAttachment, findWebContact } from "@/lib/chat/queries";
import { AppError } from "@/lib/errors";
import { fileDownloadResponse } from "@/lib/files/responses";
import { idSchema, jsonErrorResponse } from "@/lib/http";

async function findFile(botId: string, fileId: string) {
  const ids = idSchema.array().safeParse([botId, fileId]);
  if (!ids.success) return null;
  const contactId = await readContactId(botId);
  const contact = contactId ? await findWebContact(botId, contactId) : null;
  return contact ? findContactAttachment(contact, fileId) : null;
}

export async function GET(request: Request, { params }: { params: Promise<{ botId: string; fileId: string }> }) {
  const { botId, fileId } = await params;
  const attachment = await findFile(botId, fileId);
  if (!attachment) return jsonErrorResponse(new AppError("not_found", "File not found."));
  // Bytes missing from storage: the same 404, before any byte is sent.
  return (await fileDownloadResponse(attachment, { rangeHeader: request.headers.get("range") })) ?? jsonErrorResponse(new AppError("not_found", "File not found."));
}
