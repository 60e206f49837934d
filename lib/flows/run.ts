import { RE2JS } from "re2js";
import { flowSchema, EMPTY_FLOW, type Flow, type Match, type RegexMatch, type Rule } from "@/lib/flows/schemas";
import type { FlowVariables } from "@/lib/flows/variables";

/**
 * How a flow picks its answer to a contact's message (lib/flows/execute.ts runs the actions):
 * - Rules are tried in the order they are listed; the first rule whose match fits wins and its
 *   actions run in order. Later rules are not tried, so put specific rules first.
 * - A fallback rule matches any message, so rules after it are never reached: list it last.
 * - Keywords match case-insensitively as whole words: "hi" matches "Hi!" but not "this".
 * - A regex uses RE2 syntax (re2js), whose matching takes time linear in the message, so an
 *   owner's pathological pattern such as `(a+)+$` cannot block the server, and a busy server
 *   never turns a match into a miss (a wall-clock timeout on a backtracking engine would). It
 *   looks at the first REGEX_INPUT_LIMIT characters of the message only.
 */

/** Characters of a message a regex rule looks at. */
export const REGEX_INPUT_LIMIT = 2_000;

/** A regex rule's pattern, compiled (the schema has checked that it compiles). */
export function compileRegex(match: Pick<RegexMatch, "pattern" | "flags">): RE2JS {
  return RE2JS.compile(match.pattern, match.flags === "i" ? RE2JS.CASE_INSENSITIVE : 0);
}

/**
 * The capture groups of a regex rule's match on the text, offered to its actions as `match_1`,
 * `match_2`, … (an unmatched group is ""). None for other matches.
 */
export function matchCaptures(match: Match, text: string): FlowVariables {
  if (match.type !== "regex") return {};
  const groups = (compileRegex(match).exec(text.slice(0, REGEX_INPUT_LIMIT)) ?? []).slice(1, 10) as (string | undefined)[];
  return Object.fromEntries(groups.map((group, index) => [`match_${index + 1}`, group ?? ""]));
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A whole word: not preceded or followed by a letter, digit or underscore, in any script. */
function keywordRegex(keyword: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(keyword)}(?![\\p{L}\\p{N}_])`, "iu");
}

function matches(match: Match, text: string): boolean {
  switch (match.type) {
    case "fallback":
      return true;
    case "on_hand_back":
      return false;
    case "keyword":
      return match.keywords.some((keyword) => keywordRegex(keyword).test(text));
    case "regex":
      return compileRegex(match).test(text.slice(0, REGEX_INPUT_LIMIT));
  }
}

/** The first rule of the flow whose match fits the text, or null when none does. */
export function matchRule(flow: Flow, text: string): Rule | null {
  return flow.rules.find((rule) => matches(rule.match, text)) ?? null;
}

function variableText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return "";
}

/** Replaces each `{{ name }}` with the variable's value; an unknown variable becomes "". */
export function renderTemplate(text: string, variables: FlowVariables): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g, (_placeholder, name: string) =>
    Object.hasOwn(variables, name) ? variableText(variables[name]) : "",
  );
}

/**
 * A bot's stored flow, ready to run. Flows are validated when saved, but a row written some
 * other way must not break the chat: an invalid one behaves like an empty flow (the bot is silent).
 */
export function readStoredFlow(stored: unknown): Flow {
  const parsed = flowSchema.safeParse(stored);
  return parsed.success ? parsed.data : EMPTY_FLOW;
}
