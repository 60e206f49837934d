// POST /chat/<botId>/messages — a web-chat contact sends a message (multipart: text, name, files)
import { z } from "zod";
import { newContactId, readContactId, setContactId } from "@/lib/chat/contact-cookie";
import { postContactMessage } from "@/lib/chat/mutations";
import { MAX_CHAT_FILES } from "@/lib/chat/schemas";
import { env } from "@/lib/env";
import { receiveMultipartUpload } from "@/lib/files/multipart-upload";
import { idSchema, jsonErrorResponse } from "@/lib/http";
import { newStorageKey, type StoredFile } from "@/lib/messages/append";
import { getFileStorage } from "@/lib/storage";
import { parseOrThrow } from "@/lib/validation";

const formSchema = z.object({
  text: z.string().default(""),
  name: z.string().optional(),
});

export async function POST(request: Request, { params }: { params: Promise<{ botId: string }> }) {
  let files: StoredFile[] = [];
  let bodyRead = false;
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
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
    const knownContactId = await readContactId(botId);
    const contactExternalId = knownContactId ?? newContactId();
    const result = await postContactMessage({ botId, contactExternalId, contactName: name, text, files });
    files = [];
    if (!knownContactId) await setContactId(botId, contactExternalId);
    // The conversation to follow changes when this message started or ended a transfer to another bot.
    return Response.json({ messages: result.messages, conversationId: result.activeConversationId }, { status: 201 });
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
