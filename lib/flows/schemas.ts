import { z } from "zod";

// A bot's flow (PRODUCT.md §6), as stored in Bot.flow and edited as JSON by owners. Rules are
// tried in order; the first whose match fits runs its actions in order (lib/flows/run.ts).

export const MAX_RULES = 100;
export const MAX_ACTIONS = 20;
export const MAX_KEYWORDS = 50;
export const MAX_PATTERN_LENGTH = 200;
export const MAX_TEXT_LENGTH = 4000;

const keywordMatchSchema = z.object({
  type: z.literal("keyword"),
  /** Matched case-insensitively as whole words ("hi" matches "Hi there", not "this"). */
  keywords: z
    .array(
      z
        .string()
        .trim()
        .min(1, "A keyword cannot be empty.")
        .max(100, "A keyword must be at most 100 characters."),
    )
    .min(1, "List at least one keyword.")
    .max(MAX_KEYWORDS, `List at most ${MAX_KEYWORDS} keywords.`),
});

const regexMatchSchema = z
  .object({
    type: z.literal("regex"),
    pattern: z
      .string()
      .min(1, "The pattern cannot be empty.")
      .max(MAX_PATTERN_LENGTH, `The pattern must be at most ${MAX_PATTERN_LENGTH} characters.`),
    /** "i": case-insensitive. */
    flags: z.enum(["i", ""]).optional(),
  })
  .superRefine((match, ctx) => {
    try {
      new RegExp(match.pattern, match.flags ?? "");
    } catch (error) {
      const reason = error instanceof SyntaxError ? error.message.replace(/^Invalid regular expression: /, "") : "";
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `The pattern is not a valid regular expression${reason ? ` (${reason})` : ""}.`,
      });
    }
  });

const fallbackMatchSchema = z.object({ type: z.literal("fallback") });

export const matchSchema = z.discriminatedUnion("type", [keywordMatchSchema, regexMatchSchema, fallbackMatchSchema], {
  error: 'match.type must be "keyword", "regex" or "fallback".',
});

const sendTextActionSchema = z.object({
  type: z.literal("send_text"),
  /** The reply; `{{variable}}` is replaced by the conversation variable's value. */
  text: z
    .string()
    .min(1, "The text cannot be empty.")
    .max(MAX_TEXT_LENGTH, `The text must be at most ${MAX_TEXT_LENGTH} characters.`),
});

/**
 * What a rule does. A union discriminated by `type`, so "create_conversation_url",
 * "transfer_control" and "give_back" join as new members and every stored flow stays valid.
 */
export const actionSchema = z.discriminatedUnion("type", [sendTextActionSchema], {
  error: 'action.type must be "send_text".',
});

export const ruleSchema = z.object({
  /** Shown to owners only, to tell rules apart. */
  name: z.string().trim().max(100, "The name must be at most 100 characters.").optional(),
  match: matchSchema,
  actions: z
    .array(actionSchema)
    .min(1, "A rule needs at least one action.")
    .max(MAX_ACTIONS, `A rule may have at most ${MAX_ACTIONS} actions.`),
});

export const flowSchema = z.object({
  rules: z.array(ruleSchema).max(MAX_RULES, `A flow may have at most ${MAX_RULES} rules.`),
});

export type KeywordMatch = z.infer<typeof keywordMatchSchema>;
export type RegexMatch = z.infer<typeof regexMatchSchema>;
export type FallbackMatch = z.infer<typeof fallbackMatchSchema>;
export type Match = z.infer<typeof matchSchema>;
export type SendTextAction = z.infer<typeof sendTextActionSchema>;
export type Action = z.infer<typeof actionSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Flow = z.infer<typeof flowSchema>;

/** A flow with no rules: the bot stays silent. */
export const EMPTY_FLOW: Flow = { rules: [] };
