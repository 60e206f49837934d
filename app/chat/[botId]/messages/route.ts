// POST /chat/<botId>/messages — a web-chat contact sends a message (multipart: text, name, files)
import { z } from "zod";
import { ANONYMOUS } from "@/lib/auth/actor";
import { foreignOriginResponse, isSameOriginRequest, ownHosts } from "@/lib/auth/origin";
import { readContactId, setContactId } from "@/lib/chat/contact-cookie";
import { postContactMessage } from "@/lib/chat/mutations";
import { findAnsweringBotName, findWebContact } from "@/lib/chat/queries";
import { MAX_CHAT_FILES } from "@/lib/chat/schemas";
import { env } from "@/lib/env";
import { receiveMultipartUpload } from "@/lib/files/multipart-upload";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { newStorageKey, type StoredFile } from "@/lib/messages/append";
import { clientIp, consumeChatWrite } from "@/lib/rate-limit";
import { getFileStorage } from "@/lib/storage";
import { parseOrThrow } from "@/lib/validation";

const formSchema = z.object({
  text: z.string().default(""),
  name: z.string().optional(),
});

export async function POST(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  // The contact cookie is the identity: another site must not write as the visitor's contact.
  if (!isSameOriginRequest(request.headers, ownHosts(request.headers, env.APP_URL), "allow-non-browser")) return foreignOriginResponse();
  let files: StoredFile[] = [];
  let bodyRead = false;
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
    // `thread`: the contact's own conversation the chat was opened on (default: their latest).
    const conversationId = parseOrThrow(idSchema.optional(), new URL(request.url).searchParams.get("thread") || undefined);
    const cookieId = await readContactId(botId);
    // Counted before the body is read, so a flood is refused without storing its uploads.
    const limitKeys = { ip: clientIp(request.headers), contactKey: cookieId && `${botId}:${cookieId}` };
    await consumeChatWrite(limitKeys);
    // The body is parsed as it arrives and each file streamed straight into storage, so no request
    // is ever held in memory; reading stops with 413 the moment a limit is crossed.
    const upload = await receiveMultipartUpload(request, {
      maxFileBytes: env.MAX_UPLOAD_BYTES,
      maxFiles: MAX_CHAT_FILES,
      maxBodyBytes: MAX_CHAT_FILES * env.MAX_UPLOAD_BYTES + 1024 * 1024,
      fileField: "files",
      newKey: () => newStorageKey(`web-chat/${botId}`),
    });
    files = upload.files;
    bodyRead = true;
    const { text, name } = parseOrThrow(formSchema, { text: upload.fields.text, name: upload.fields.name });
    // Each file costs one more write than the message it rides on.
    if (files.length > 0) await consumeChatWrite({ ...limitKeys, points: files.length });
    // The signed cookie names this browser's web contact; without one the visitor is new and the
    // server makes their id (lib/chat/policy.ts), remembered in the cookie once the message is in.
    const contact = cookieId ? await findWebContact(botId, cookieId) : null;
    const result = await postContactMessage(contact ?? ANONYMOUS, { botId, conversationId, contactName: name, text, files });
    files = [];
    if (!contact) await setContactId(botId, result.contactExternalId);
    // The conversation to follow (and the bot answering, in the header) changes when this message
    // started or ended a transfer to another bot.
    const botName = await findAnsweringBotName(result.activeConversationId);
    return Response.json({ messages: result.messages, conversationId: result.activeConversationId, botName }, { status: 201 });
  } catch (error) {
    // The files were stored before the message: a message that was refused leaves none behind.
    await Promise.all(files.map((file) => getFileStorage().remove(file.storageKey).catch(() => {})));
    const response = jsonErrorResponse(error);
    // The rest of a body cut off at a limit was never read: the connection cannot carry another
    // request, so the client is told not to reuse it (rather than meet a reset on its next one).
    if (!bodyRead) response.headers.set("Connection", "close");
    return response;
  }
}
