import { RE2JS, RE2JSSyntaxException } from "re2js";
import { z } from "zod";
import { MAX_VALIDITY_HOURS } from "@/lib/shares/schemas";

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
      RE2JS.compile(match.pattern, match.flags === "i" ? RE2JS.CASE_INSENSITIVE : 0);
    } catch (error) {
      const reason = error instanceof RE2JSSyntaxException ? error.getDescription() : "";
      ctx.addIssue({
        code: "custom",
        path: ["pattern"],
        message: `The pattern is not a valid RE2 regular expression${reason ? ` (${reason})` : ""}; lookarounds and backreferences are not supported.`,
      });
    }
  });

const fallbackMatchSchema = z.object({ type: z.literal("fallback") });

/**
 * Matches no message: the rule runs when control returns to the bot after a takeover (hand back,
 * expiry, stale timeout, the owner ending it), with `operator_name`, `handed_back_reason` and
 * `operator_session_minutes` (lib/flows/hand-back.ts).
 */
const onHandBackMatchSchema = z.object({ type: z.literal("on_hand_back") });

export const matchSchema = z.discriminatedUnion("type", [keywordMatchSchema, regexMatchSchema, fallbackMatchSchema, onHandBackMatchSchema], {
  error: 'match.type must be "keyword", "regex", "fallback" or "on_hand_back".',
});

const sendTextActionSchema = z.object({
  type: z.literal("send_text"),
  /** The reply; `{{variable}}` is replaced by the conversation variable's value. */
  text: z
    .string()
    .min(1, "The text cannot be empty.")
    .max(MAX_TEXT_LENGTH, `The text must be at most ${MAX_TEXT_LENGTH} characters.`),
});

const VARIABLE_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
/** A conversation variable's name, as templates write it (`{{name}}`). */
export const variableNameSchema = z.string().regex(VARIABLE_NAME, "A variable name uses letters, digits, _, . or - (at most 100).");

const createConversationUrlActionSchema = z.object({
  type: z.literal("create_conversation_url"),
  /**
   * Hours until the link expires: a number, or a `{{variable}}` read when the action runs (the
   * action is skipped, with a system note, when the variable is not a whole number of hours).
   */
  validityHours: z.union([
    z
      .number()
      .int("Validity must be whole hours.")
      .min(1, "Validity must be at least 1 hour.")
      .max(MAX_VALIDITY_HOURS, `Validity must be at most ${MAX_VALIDITY_HOURS} hours.`),
    z.string().regex(/^\{\{\s*[A-Za-z0-9_.-]+\s*\}\}$/, 'Validity must be a number of hours or a "{{variable}}".'),
  ]),
  /** Mint a new link each time instead of reusing the active one with the same settings. */
  regenerate: z.boolean().optional(),
  /** The conversation is taken over as soon as the link is first opened. */
  takeOverOnOpen: z.boolean().optional(),
  /** Control returns to the bot when the link expires (an "auto" link; otherwise a takeover link). */
  autoHandBack: z.boolean().optional(),
});

const transferControlActionSchema = z.object({
  type: z.literal("transfer_control"),
  /** A bot of the same organization. */
  targetBotId: z.string().trim().min(1, "Choose the bot to transfer to.").max(64),
  /**
   * Join the target bot's open conversation whose variable of this name has the same value as
   * here (e.g. a ticket id), instead of starting a new one.
   */
  conversationKeyVariable: variableNameSchema.optional(),
  /** Variables copied to the target conversation, and back when control returns. */
  carryVariables: z.array(variableNameSchema).max(50, "Carry at most 50 variables.").optional(),
  /** The target bot's first message on its conversation (`{{variable}}`s of the target). */
  entryText: z.string().max(MAX_TEXT_LENGTH, `The text must be at most ${MAX_TEXT_LENGTH} characters.`).optional(),
  /**
   * How the target bot begins: the name of one of its rules, whose actions run on arrival (after
   * the entry text), as if that rule had matched. Without it the target bot waits for the
   * contact's next message. A rule of that name that does not exist is noted on the target.
   */
  entryRule: z.string().trim().min(1, "Name the target bot's rule.").max(100, "A rule name is at most 100 characters.").optional(),
});

const giveBackActionSchema = z.object({ type: z.literal("give_back") });

/**
 * Marks the conversation "needs a person" in the team's inbox and notifies the team
 * (lib/inbox/needs-human.ts). With `createLink`, also makes a takeover link like
 * create_conversation_url (in `{{conversation_share_url}}`).
 */
const requestHumanActionSchema = z.object({
  type: z.literal("request_human"),
  /** Shown to members with the request (`{{variable}}`s filled in). */
  note: z.string().max(500, "The note must be at most 500 characters.").optional(),
  createLink: createConversationUrlActionSchema.omit({ type: true }).optional(),
});

const setVariableActionSchema = z.object({
  type: z.literal("set_variable"),
  /** The conversation variable to set (kept with the conversation; never shown publicly). */
  name: variableNameSchema,
  /**
   * Its new value, a template: `{{message}}` is the contact's message, `{{match_1}}`… a regex
   * rule's capture groups, and every conversation variable is available too.
   */
  value: z.string().max(MAX_TEXT_LENGTH, `The value must be at most ${MAX_TEXT_LENGTH} characters.`),
});

/**
 * What a rule does. A union discriminated by `type`, so new actions join as new members and every
 * stored flow stays valid.
 */
export const actionSchema = z.discriminatedUnion(
  "type",
  [
    sendTextActionSchema,
    setVariableActionSchema,
    createConversationUrlActionSchema,
    transferControlActionSchema,
    giveBackActionSchema,
    requestHumanActionSchema,
  ],
  {
    error: 'action.type must be "send_text", "set_variable", "create_conversation_url", "transfer_control", "give_back" or "request_human".',
  },
);

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
export type CreateConversationUrlAction = z.infer<typeof createConversationUrlActionSchema>;
export type TransferControlAction = z.infer<typeof transferControlActionSchema>;
export type GiveBackAction = z.infer<typeof giveBackActionSchema>;
export type SetVariableAction = z.infer<typeof setVariableActionSchema>;
export type RequestHumanAction = z.infer<typeof requestHumanActionSchema>;
export type Action = z.infer<typeof actionSchema>;
export type Rule = z.infer<typeof ruleSchema>;
export type Flow = z.infer<typeof flowSchema>;

/** A flow with no rules: the bot stays silent. */
export const EMPTY_FLOW: Flow = { rules: [] };
