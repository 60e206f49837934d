// POST /api/v1/bots/<botId>/messages — a contact's message from a channel (WhatsApp, Telegram,
// your own app…), answered with the bot's replies (PRODUCT.md §5.3).
//   Authorization: Bearer sb_bot_…   a token of this bot (any other token: 404, as an unknown bot)
//   body  { contact: { externalId, name? }, text?, channel? = "api", files?: [{ fileName, contentType, dataBase64 }] }
//   201   { success: true, data: { conversationId, messages: [contact message, …bot replies] }, meta }
//   400 bad body · 401 bad token · 404 other bot · 413 too large · 422 undecodable file
// The first message of a contact creates the contact and a conversation on that channel. While an
// operator holds the conversation the bot stays silent; the operator's messages go to the bot's
// webhook (lib/webhooks).
import { z } from "zod";
import { apiRoute } from "@/lib/api/route";
import { maxChannelBodyBytes, postChannelMessage } from "@/lib/channels/mutations";
import { channelMessageSchema } from "@/lib/channels/schemas";
import { idSchema } from "@/lib/http";

export const POST = apiRoute(
  { params: z.object({ botId: idSchema }), body: channelMessageSchema, maxBodyBytes: maxChannelBodyBytes },
  async ({ actor, params, body, success }) => success(await postChannelMessage(actor, params.botId, body), 201),
);
