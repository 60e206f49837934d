import { z } from "zod";
import { MAX_CHAT_FILES, MAX_CHAT_TEXT } from "@/lib/chat/schemas";
import { variableNameSchema } from "@/lib/flows/schemas";
import { operatorNameSchema } from "@/lib/takeover/operator-name";
import { hasNoNul, noNulMessage } from "@/lib/storable-text";

const MAX_VARIABLES = 50;
const MAX_VARIABLE_LENGTH = 1000;

// Strict objects, like every v1 body: an unknown key is a 400, so a misspelt field (`varaibles`)
// never passes silently with its value dropped.

/** A file in a channel message, its bytes in base64 (standard or URL-safe alphabet). */
export const channelFileSchema = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(1, "fileName is required.")
    .max(255, "fileName must be at most 255 characters.")
    .refine(hasNoNul, noNulMessage("fileName")),
  contentType: z
    .string()
    .trim()
    .max(200, "contentType must be at most 200 characters.")
    .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, "contentType must be a MIME type such as image/png.")
    .refine(hasNoNul, noNulMessage("contentType"))
    .default("application/octet-stream"),
  dataBase64: z.string(),
});

/** The body of `POST /api/v1/bots/<botId>/messages`: one message of a contact on a channel. */
export const channelMessageSchema = z
  .strictObject({
    contact: z.strictObject({
      /** The contact's id on the channel: a phone number, a chat id, … */
      externalId: z
        .string()
        .trim()
        .min(1, "contact.externalId is required.")
        .max(200, "contact.externalId must be at most 200 characters.")
        .refine(hasNoNul, noNulMessage("contact.externalId")),
      name: z.string().trim().max(100, "contact.name must be at most 100 characters.").refine(hasNoNul, noNulMessage("contact.name")).optional(),
    }),
    text: z
      .string()
      .trim()
      .max(MAX_CHAT_TEXT, `text must be at most ${MAX_CHAT_TEXT} characters.`)
      .refine(hasNoNul, noNulMessage("text"))
      .default(""),
    /** The channel of a first message's conversation. "web" belongs to the web chat. */
    channel: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "channel must be 1–32 letters, digits, - or _ (e.g. whatsapp, telegram, api).")
      .refine((channel) => channel !== "web", "channel \"web\" is the web chat's; use e.g. api, whatsapp or telegram.")
      .default("api"),
    /**
     * Who wrote it: the contact (default), or an operator replying on the channel itself (the
     * business phone), which takes the conversation over from the bot like a console message.
     */
    role: z
      .enum(["contact", "operator"])
      .default("contact")
      .meta({
        description:
          'Who wrote it. "operator": a reply typed on the channel itself (the business phone); it takes the conversation over ' +
          "from the bot (or continues the channel's hold) and is not sent back to the webhook.",
      }),
    /** The operator's display name (role "operator" only); default "Operator". */
    operatorName: operatorNameSchema
      .refine(hasNoNul, noNulMessage("operatorName"))
      .optional()
      .meta({ description: 'The operator\'s display name, shown to the contact and in History (role "operator" only; default "Operator").' }),
    files: z.array(channelFileSchema).max(MAX_CHAT_FILES, `Attach at most ${MAX_CHAT_FILES} files.`).default([]),
    /**
     * Conversation variables to set before the bot answers (e.g. an order number your system
     * knows); flows read them as `{{name}}`. The transfer_… variables belong to transfers.
     */
    variables: z
      .record(
        variableNameSchema.refine((name) => !name.startsWith("transfer_"), "transfer_… variables are set by transfers."),
        z.union([
          z.string().max(MAX_VARIABLE_LENGTH, `A variable's value is at most ${MAX_VARIABLE_LENGTH} characters.`).refine(hasNoNul, noNulMessage("A variable")),
          z.number().finite(),
          z.boolean(),
        ]),
      )
      .refine((variables) => Object.keys(variables).length <= MAX_VARIABLES, `Send at most ${MAX_VARIABLES} variables.`)
      .optional(),
    /**
     * The contact asked for a person (a button or command on the channel): the conversation shows
     * as "Needs a person" in the team's inbox until an operator takes over.
     */
    needsHuman: z.boolean().default(false),
  })
  .refine((message) => message.text !== "" || message.files.length > 0, {
    path: ["text"],
    message: "Send text or at least one file.",
  })
  .refine((message) => message.role === "operator" || message.operatorName === undefined, {
    path: ["operatorName"],
    message: "operatorName is for messages with role \"operator\".",
  })
  .refine((message) => message.role === "contact" || (message.text !== "" && message.files.length === 0 && !message.variables), {
    path: ["role"],
    message: "An operator message carries text only (no files or variables).",
  });

export type ChannelMessageInput = z.input<typeof channelMessageSchema>;
