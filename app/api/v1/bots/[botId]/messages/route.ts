// POST /api/v1/bots/<botId>/messages — a contact's message from a channel (WhatsApp, Telegram,
// your own app…), answered with the bot's replies (PRODUCT.md §5.3).
//   Authorization: Bearer sb_bot_…   a token of this bot (any other token: 404, as an unknown bot)
//   body  { contact: { externalId, name? }, text?, channel? = "api", files?: [{ fileName, contentType, dataBase64 }] }
//   201   { success: true, data: { conversationId, messages: [contact message, …bot replies] }, meta }
//   400 bad body · 401 bad token · 404 other bot · 413 too large · 422 undecodable file
// The first message of a contact creates the contact and a conversation on that channel. While an
// operator holds the conversation the bot stays silent; the operator's messages go to the bot's
// webhook (lib/webhooks).
import { assertBotToken, authenticateRequest } from "@/lib/api/auth";
import { apiError, apiSuccess } from "@/lib/api/envelope";
import { maxChannelBodyBytes, postChannelMessage } from "@/lib/channels/mutations";
import { channelMessageSchema } from "@/lib/channels/schemas";
import { AppError } from "@/lib/errors";
import { idSchema } from "@/lib/http";
import { parseOrThrow } from "@/lib/validation";

type Params = { params: Promise<{ botId: string }> };

/** The body as JSON, refusing more than `limit` bytes as it streams in. */
async function readJson(request: Request, limit: number): Promise<unknown> {
  const tooLarge = () => new AppError("payload_too_large", "Body is too large.");
  if (Number(request.headers.get("content-length") ?? 0) > limit) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > limit) throw tooLarge();
      chunks.push(chunk);
    }
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new AppError("bad_request", "Body must be JSON");
  }
}

export async function POST(request: Request, { params }: Params) {
  try {
    const botId = parseOrThrow(idSchema, (await params).botId);
    const body = parseOrThrow(channelMessageSchema, await readJson(request, maxChannelBodyBytes()));
    const actor = assertBotToken(await authenticateRequest(request), botId);
    return apiSuccess(await postChannelMessage(actor.botId, body), 201);
  } catch (error) {
    return apiError(error);
  }
}
