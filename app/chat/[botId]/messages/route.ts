// POST /chat/<botId>/messages — a web-chat contact sends a message (multipart: text, name, files)
import { z } from "zod";
import { ANONYMOUS } from "@/lib/auth/actor";
import { readContactId, setContactId } from "@/lib/chat/contact-cookie";
import { postContactMessage } from "@/lib/chat/mutations";
import { findWebContact } from "@/lib/chat/queries";
import { MAX_CHAT_FILES } from "@/lib/chat/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { parseOrThrow } from "@/lib/validation";

const formSchema = z.object({
  text: z.string().default(""),
  name: z.string().optional(),
  // A file input with nothing chosen still sends an empty, nameless part.
  files: z.array(z.instanceof(File)).transform((files) => files.filter((file) => file.name !== "" || file.size > 0)),
});

// Refuse bodies that cannot be valid before reading them into memory.
const MAX_BODY_BYTES = MAX_CHAT_FILES * env.MAX_UPLOAD_BYTES + 1024 * 1024;

export async function POST(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
    if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      throw new AppError("payload_too_large", "The message and its files are too large.");
    }
    const form = await request.formData().catch(() => {
      throw new AppError("bad_request", "Send the message as multipart/form-data.");
    });
    const { text, name, files } = parseOrThrow(formSchema, {
      text: form.get("text") ?? undefined,
      name: form.get("name") ?? undefined,
      files: form.getAll("files"),
    });
    // The signed cookie names this browser's web contact; without one the visitor is new and the
    // server makes their id (lib/chat/policy.ts), remembered in the cookie once the message is in.
    const cookieId = await readContactId(botId);
    const contact = cookieId ? await findWebContact(botId, cookieId) : null;
    const result = await postContactMessage(contact ?? ANONYMOUS, { botId, contactName: name, text, files });
    if (!contact) await setContactId(botId, result.contactExternalId);
    // The conversation to follow changes when this message started or ended a transfer to another bot.
    return Response.json({ messages: result.messages, conversationId: result.activeConversationId }, { status: 201 });
  } catch (error) {
    return jsonErrorResponse(error);
  }
}
