// POST /chat/<botId>/messages — a web-chat contact sends a message (multipart: text, name, files)
import { z } from "zod";
import { ANONYMOUS } from "@/lib/auth/actor";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { readContactId, setContactId } from "@/lib/chat/contact-cookie";
import { postContactMessage } from "@/lib/chat/mutations";
import { findWebContact } from "@/lib/chat/queries";
import { MAX_CHAT_FILES } from "@/lib/chat/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { clientIp, consumeChatWrite } from "@/lib/rate-limit";
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
  // The contact cookie is the identity: another site must not write as the visitor's contact.
  if (!isSameOriginRequest(request.headers, ownHosts(request.headers, env.APP_URL), "allow-non-browser")) return foreignOriginResponse();
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
    const cookieId = await readContactId(botId);
    // Counted before the body is read, so a flood is refused without buffering its uploads.
    const limitKeys = { ip: clientIp(request.headers), contactKey: cookieId && `${botId}:${cookieId}` };
    await consumeChatWrite(limitKeys);
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
    // Each file costs one more write than the message it rides on.
    if (files.length > 0) await consumeChatWrite({ ...limitKeys, points: files.length });
    // The signed cookie names this browser's web contact; without one the visitor is new and the
    // server makes their id (lib/chat/policy.ts), remembered in the cookie once the message is in.
    const contact = cookieId ? await findWebContact(botId, cookieId) : null;
    const result = await postContactMessage(contact ?? ANONYMOUS, { botId, contactName: name, text, files });
    if (!contact) await setContactId(botId, result.contactExternalId);
    // The conversation to follow changes when this message started or ended a transfer to another bot.
    return Response.json({ messages: result.messages, conversationId: result.activeConversationId }, { status: 201 });
  } catch (error) {
    return jsonErrorResponse(error);
  }
}
