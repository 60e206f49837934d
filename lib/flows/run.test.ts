import { describe, expect, it } from "vitest";
import { matchCaptures, matchRule, renderTemplate } from "@/lib/flows/run";
import { flowSchema, type Flow } from "@/lib/flows/schemas";
import type { FlowVariables } from "@/lib/flows/variables";
import { DEMO_FLOWS, resolveDemoFlow } from "@/prisma/seed";

const reply = (text: string) => [{ type: "send_text" as const, text }];

const flow: Flow = flowSchema.parse({
  rules: [
    { name: "greeting", match: { type: "keyword", keywords: ["hello", "hi"] }, actions: reply("Hello {{contact_name}}!") },
    { name: "order", match: { type: "regex", pattern: "order\\s*#?\\d{3,}", flags: "i" }, actions: reply("Looking up your order.") },
    { name: "refund", match: { type: "keyword", keywords: ["refund", "money back"] }, actions: reply("Refunds take 5 days.") },
    { name: "fallback", match: { type: "fallback" }, actions: [...reply("Sorry?"), ...reply("Try 'refund'.")] },
  ],
});

const ruleFor = (text: string) => matchRule(flow, text)?.name;

/** The texts the matching rule sends (its other actions need a database: lib/flows/execute.test.ts). */
const textReplies = (of: Flow, text: string, variables: FlowVariables = {}) =>
  (matchRule(of, text)?.actions ?? []).flatMap((action) => (action.type === "send_text" ? [renderTemplate(action.text, variables)] : []));

describe("matchRule", () => {
  it("matches keywords as whole words, ignoring case", () => {
    expect(ruleFor("HELLO there")).toBe("greeting");
    expect(ruleFor("oh, Hi!")).toBe("greeting");
    expect(ruleFor("this is it")).toBe("fallback");
    expect(ruleFor("hiking boots")).toBe("fallback");
    expect(ruleFor("I want my Money Back.")).toBe("refund");
  });

  it("matches regex rules with their flags", () => {
    expect(ruleFor("where is ORDER #4821")).toBe("order");
    expect(ruleFor("order #12")).toBe("fallback");
    const caseSensitive = flowSchema.parse({ rules: [{ match: { type: "regex", pattern: "^VAT" }, actions: reply("x") }] });
    expect(matchRule(caseSensitive, "VAT number")).not.toBeNull();
    expect(matchRule(caseSensitive, "vat number")).toBeNull();
  });

  it("tries rules in order and the first match wins", () => {
    expect(ruleFor("hi, I want a refund for order 4821")).toBe("greeting");
    expect(ruleFor("refund for order 4821")).toBe("order");
  });

  it("falls back when nothing else matches, and matches nothing without a fallback", () => {
    expect(ruleFor("what's the weather")).toBe("fallback");
    expect(matchRule({ rules: flow.rules.slice(0, 3) }, "what's the weather")).toBeNull();
    expect(matchRule({ rules: [] }, "hello")).toBeNull();
  });

  it("looks at the first 2,000 characters only for regex rules", () => {
    const tail = flowSchema.parse({ rules: [{ match: { type: "regex", pattern: "needle" }, actions: reply("x") }] });
    expect(matchRule(tail, `${"x".repeat(1990)} needle`)).not.toBeNull();
    expect(matchRule(tail, `${"x".repeat(2000)} needle`)).toBeNull();
  });

  it("answers a pattern that backtracks catastrophically in JavaScript correctly and at once (RE2 is linear)", () => {
    const evil = flowSchema.parse({ rules: [{ match: { type: "regex", pattern: "(a+)+$" }, actions: reply("x") }] });
    // A backtracking engine would not return from the first call in this universe's lifetime.
    expect(matchRule(evil, `${"a".repeat(1000)}!${"x".repeat(5000)}`)).toBeNull();
    expect(matchRule(evil, `x${"a".repeat(1999)}`)).not.toBeNull();
    expect(matchRule(evil, "aaa")).not.toBeNull();
  });
});

describe("renderTemplate", () => {
  it("substitutes variables, with whitespace inside the braces", () => {
    expect(renderTemplate("Hi {{contact_name}}, {{ order }} / {{  count  }}", { contact_name: "Ana", order: "A-1", count: 3 })).toBe(
      "Hi Ana, A-1 / 3",
    );
  });

  it("renders an unknown variable as nothing", () => {
    expect(renderTemplate("Your link: {{conversation_share_url}}.", {})).toBe("Your link: .");
    expect(renderTemplate("{{toString}}{{constructor}}", {})).toBe("");
  });
});

describe("flowSchema", () => {
  it("rejects a regex that does not compile, with a clear message at the pattern", () => {
    const result = flowSchema.safeParse({ rules: [{ match: { type: "regex", pattern: "order (#" }, actions: reply("x") }] });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0];
    expect(issue.path).toEqual(["rules", 0, "match", "pattern"]);
    expect(issue.message).toMatch(/not a valid RE2 regular expression \(missing closing \)/);
  });

  it("rejects what RE2 does not support (lookarounds, backreferences), saying so", () => {
    for (const pattern of ["(?<=order )\\d+", "(\\w)\\1", "foo(?!bar)"]) {
      const result = flowSchema.safeParse({ rules: [{ match: { type: "regex", pattern }, actions: reply("x") }] });
      expect(result.error?.issues[0].message, pattern).toMatch(/lookarounds and backreferences are not supported/);
    }
  });

  it("rejects unknown action and match types, empty keywords and rules without actions", () => {
    const bad = [
      { match: { type: "keyword", keywords: [] }, actions: reply("x") },
      { match: { type: "keyword", keywords: [" "] }, actions: reply("x") },
      { match: { type: "sometimes" }, actions: reply("x") },
      { match: { type: "fallback" }, actions: [{ type: "launch_rocket" }] },
      { match: { type: "fallback" }, actions: [] },
      { match: { type: "fallback" }, actions: reply("") },
    ];
    for (const rule of bad) expect(flowSchema.safeParse({ rules: [rule] }).success, JSON.stringify(rule)).toBe(false);
  });

  it("accepts the conversation URL, transfer and give back actions, and stored send_text-only flows", () => {
    const actions = [
      { type: "send_text", text: "hi" },
      { type: "create_conversation_url", validityHours: 24 },
      { type: "create_conversation_url", validityHours: "{{ hours }}", regenerate: true, takeOverOnOpen: true, autoHandBack: true },
      { type: "transfer_control", targetBotId: "bot-1", conversationKeyVariable: "ticket", carryVariables: ["order"], entryText: "Hello" },
      { type: "give_back" },
    ];
    expect(flowSchema.safeParse({ rules: [{ match: { type: "fallback" }, actions }] }).success).toBe(true);
  });

  it("rejects a validity that is neither whole hours nor one {{variable}}, and a transfer without a target", () => {
    const bad = [
      { type: "create_conversation_url", validityHours: 0 },
      { type: "create_conversation_url", validityHours: 1.5 },
      { type: "create_conversation_url", validityHours: "24" },
      { type: "create_conversation_url", validityHours: "{{a}} {{b}}" },
      { type: "create_conversation_url" },
      { type: "transfer_control", targetBotId: " " },
      { type: "transfer_control", targetBotId: "bot-1", carryVariables: ["not a name"] },
    ];
    for (const action of bad) {
      expect(flowSchema.safeParse({ rules: [{ match: { type: "fallback" }, actions: [action] }] }).success, JSON.stringify(action)).toBe(false);
    }
  });

  it("limits a flow to 100 rules", () => {
    const rule = { match: { type: "fallback" }, actions: reply("x") };
    expect(flowSchema.safeParse({ rules: Array(100).fill(rule) }).success).toBe(true);
    expect(flowSchema.safeParse({ rules: Array(101).fill(rule) }).success).toBe(false);
  });
});

describe("demo flows", () => {
  it.each(Object.entries(DEMO_FLOWS))("%s has a valid flow that answers hello and asks for a person", (_bot, demo) => {
    expect(flowSchema.safeParse(demo).success).toBe(true);
    expect(textReplies(demo, "hello", { contact_name: "Ana" }).join(" ")).toContain("Ana");
    expect(textReplies(demo, "Can I talk to a human?")).toEqual(["I'll ask a colleague to join."]);
  });

  it("notes the order number the support bot is told, for its transfer to carry", () => {
    const support = DEMO_FLOWS["Acme Support Bot"];
    for (const text of ["Where is order #10423?", "my order number is 10423", "Order no. 10423 arrived broken", "order: 10423"]) {
      const rule = matchRule(support, text);
      expect(rule?.name, text).toBe("Order number");
      expect(matchCaptures(rule!.match, text), text).toEqual({ match_1: "10423" });
    }
    expect(matchRule(support, "where is my order?")?.name).toBe("Damaged or late order");
  });

  it("points the support bot's transfer at the billing bot's id once the bots exist", () => {
    const ids = new Map([["Acme Billing Bot", "billing-id"]]);
    const transfer = resolveDemoFlow(DEMO_FLOWS["Acme Support Bot"], ids)
      .rules.flatMap((rule) => rule.actions)
      .find((action) => action.type === "transfer_control");
    expect(transfer).toMatchObject({ targetBotId: "billing-id" });
  });
});
