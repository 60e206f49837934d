import type { Actor } from "@/lib/auth/actor";

/**
 * Who may post contacts' messages into a bot through the channel API: that bot's own token only.
 * A member (even its owner) is not a channel, and another bot's token must not write here.
 */
export function mayPostForBot(actor: Actor, botId: string): boolean {
  return actor.kind === "bot_token" && actor.botId === botId;
}
