import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** Longest token name. */
export const MAX_TOKEN_NAME = 100;

const tokenName = z
  .string()
  .trim()
  .min(1, "Give the token a name (what will use it?).")
  .max(MAX_TOKEN_NAME, `A token name must be at most ${MAX_TOKEN_NAME} characters.`);

export const createBotTokenSchema = z.object({
  botId: idSchema,
  name: tokenName,
});

export const createPersonalTokenSchema = z.object({ name: tokenName });

export const revokeTokenSchema = z.object({ tokenId: idSchema });

export const listBotTokensSchema = z.object({ botId: idSchema });

export type CreateBotTokenInput = z.input<typeof createBotTokenSchema>;
export type CreatePersonalTokenInput = z.input<typeof createPersonalTokenSchema>;
export type RevokeTokenInput = z.input<typeof revokeTokenSchema>;
