import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { mayPostForBot } from "@/lib/channels/policy";
import { postContactMessage } from "@/lib/chat/mutations";
import type { MessageView } from "@/lib/conversations/message-view";
import { channelMessageSchema, type ChannelMessageInput } from "@/lib/channels/schemas";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { recordChannelOperatorReply } from "@/lib/takeover/channel-operator";
import { parseOrThrow } from "@/lib/validation";

const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

/** How many bytes a base64 text decodes to, without decoding it. */
function decodedLength(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

function decodeFile(file: { fileName: string; contentType: string; dataBase64: string }, index: number): File {
  const data = file.dataBase64.replace(/\s+/g, "");
  if (!BASE64.test(data) || data.length % 4 === 1) {
    throw new AppError("unprocessable", `files[${index}].dataBase64 is not valid base64.`, {
      files: [`files[${index}].dataBase64 is not valid base64.`],
    });
  }
  // Checked before decoding, so an oversized file costs no memory.
  if (decodedLength(data) > env.MAX_UPLOAD_BYTES) {
    const limit = Math.round(env.MAX_UPLOAD_BYTES / (1024 * 1024));
    throw new AppError("payload_too_large", `${file.fileName} is larger than ${limit} MB.`);
  }
  return new File([Buffer.from(data, data.includes("-") || data.includes("_") ? "base64url" : "base64")], file.fileName, {
    type: file.contentType,
  });
}

/**
 * A contact's message arriving through the channel API for this bot, from that bot's own token
 * (any other caller, another bot's token or a member's included, gets the same "not found" as an
 * unknown bot). Goes through the web chat's own path (postContactMessage), so contact,
 * conversation, message and the bot's replies are written in one transaction, and nothing is
 * written when the input is refused. While an operator holds the conversation there is no reply.
 * With role "operator" it is a reply typed on the channel itself: it takes the conversation over.
 */
export async function postChannelMessage(
  actor: Actor,
  botId: string,
  input: ChannelMessageInput,
): Promise<{ conversationId: string; messages: MessageView[] }> {
  const message = parseOrThrow(channelMessageSchema, input);
  if (!mayPostForBot(actor, botId)) throw new AppError("not_found", "Bot not found.");
  if (message.role === "operator") {
    return recordChannelOperatorReply(actor, { contactExternalId: message.contact.externalId, text: message.text, operatorName: message.operatorName });
  }
  const { conversationId, messages } = await postContactMessage(
    actor,
    {
      botId,
      contactExternalId: message.contact.externalId,
      contactName: message.contact.name,
      text: message.text,
      channel: message.channel,
      files: message.files.map(decodeFile),
    },
    { variables: message.variables, needsHuman: message.needsHuman },
  );
  return { conversationId, messages };
}

/** The largest JSON body the channel API reads: every file at the limit, base64-encoded, plus text. */
export function maxChannelBodyBytes(): number {
  return 5 * Math.ceil((env.MAX_UPLOAD_BYTES * 4) / 3) + 64 * 1024;
}
