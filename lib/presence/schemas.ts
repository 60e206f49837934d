import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** Typing and read reports are a few dozen bytes of JSON; anything larger is refused unread. */
export const MAX_PRESENCE_BODY_BYTES = 256;

/** POST …/typing: whether the sender is typing now (false when they stopped or sent). */
export const typingBodySchema = z.strictObject({ typing: z.boolean({ error: "typing must be true or false." }) });

/** POST /chat/<botId>/read: the newest message the web chat has shown its contact. */
export const readBodySchema = z.strictObject({ messageId: idSchema });
