import { randomBytes } from "node:crypto";
import type { Actor } from "@/lib/auth/actor";
import type { ContactKind } from "@/lib/generated/prisma/client";

/** As whom a message is written: a contact of the bot, named by kind and channel id (or by row id). */
export type ContactWriter =
  | { kind: ContactKind; externalId: string; contactId?: undefined }
  | { kind: "WEB"; contactId: string; externalId?: undefined };

/** A new web visitor's id: unguessable (144 random bits), made by the server, never by the client. */
const newWebContactId = () => randomBytes(18).toString("base64url");

/**
 * Who may write a contact's message into a bot, and as which contact; null ("not found") for
 * everyone else:
 * - the bot's own token: as any of its CHANNEL contacts (the channel vouches for who wrote);
 * - a web-chat contact (their signed cookie): as themselves only;
 * - anyone else on the public web chat (anonymous, or a member in their browser): as a NEW web
 *   contact whose id the server makes, never as an existing one.
 * Members, flows, links and other bots' tokens never write as a contact.
 */
export function contactWriterFor(actor: Actor, botId: string, channelExternalId?: string): ContactWriter | null {
  switch (actor.kind) {
    case "bot_token":
      return actor.botId === botId && channelExternalId ? { kind: "CHANNEL", externalId: channelExternalId } : null;
    case "contact":
      return actor.botId === botId ? { kind: "WEB", contactId: actor.contactId } : null;
    case "anonymous":
      return { kind: "WEB", externalId: newWebContactId() };
    default:
      return null;
  }
}
