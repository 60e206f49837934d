import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_CHAT_TEXT } from "@/lib/chat/schemas";
import { renderMessageHtml } from "@/lib/markdown/render";
import { cpuTimed, maxElementDepth } from "@/lib/markdown/test-helpers";

// Hostile messages as anyone with a web chat can send them: every kind of markdown nesting
// repeated to the length limit, long runs of one character, raw HTML and script, unicode.

const MARKUP = [
  ">", "> ", "- ", "* ", "+ ", "1. ", "1) ", "  ", "    ", "\t", "\n", "\n\n", "# ", "=", "---",
  "*", "**", "***", "_", "__", "~~", "`", "```", "~~~", "[", "]", "![", "](", ")", "(", "<", ">",
  "|", "\\", "&", "&#", "&#x", ";", ":", "\"", "'", "http://", "https://e.x/", "www.", "@", "mailto:",
  "javascript:", "JaVaScRiPt:", "data:text/html,", "<script>", "</script>", "<img src=x onerror=alert(1)>",
  "<a href=\"javascript:alert(1)\">", "<svg onload=alert(1)>", "<!--", "-->", "<![CDATA[", "<div>",
  "</div>", "[a]: ", "\u0000", "\u202e", "\u{1F600}", "ä", "\u200b",
] as const;

const markup = fc.constantFrom(...MARKUP);
const word = fc.oneof(markup, fc.string({ maxLength: 8, unit: "grapheme" }));

/** One unit of markup repeated (optionally around a word) until the message is full. */
const deepNesting = fc
  .tuple(fc.array(markup, { minLength: 1, maxLength: 3 }), fc.string({ maxLength: 5 }), fc.array(markup, { maxLength: 2 }))
  .map(([open, middle, close]) => {
    const opening = open.join("");
    const closing = close.join("");
    const half = Math.floor(MAX_CHAT_TEXT / 2 / Math.max(1, opening.length));
    return (opening.repeat(half) + middle + closing.repeat(Math.floor(MAX_CHAT_TEXT / 2 / Math.max(1, closing.length)))).slice(0, MAX_CHAT_TEXT);
  });

/** Random sequences of markup, words and unicode. */
const mixed = fc.array(word, { maxLength: 600 }).map((parts) => parts.join("").slice(0, MAX_CHAT_TEXT));

const anyText = fc.string({ maxLength: MAX_CHAT_TEXT, unit: "binary" });

const hostile = fc.oneof(deepNesting, mixed, anyText);

const ALLOWED_ATTRIBUTES = new Set(["href", "target", "rel", "start", "style", "class"]);

/** Every way the output could run script or load something, as a list of findings. */
function unsafeParts(html: string): string[] {
  const findings: string[] = [];
  if (/<script/i.test(html)) findings.push("<script");
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    for (const [, name, value] of tag.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) {
      if (!ALLOWED_ATTRIBUTES.has(name.toLowerCase())) findings.push(`attribute ${name} in ${tag}`);
      if (name === "href" && !/^(https?:\/\/|mailto:)/i.test(value ?? "")) findings.push(`href ${value}`);
    }
    if (/^<(img|iframe|object|embed|svg|math|style|link|meta|base|form|input)\b/i.test(tag)) findings.push(tag);
    // "javascript:" may be text (shown as written) or inside an http(s) URL's path
    // (https://e.x/javascript:, harmless); as an attribute's scheme it would run.
    for (const [, value] of tag.matchAll(/="([^"]*)"/g)) {
      if (/^[\s\u0000-\u001f]*(javascript|vbscript|data):/i.test(value.replace(/&#?\w+;/g, ""))) findings.push(`script URL in ${tag}`);
    }
  }
  return findings;
}

describe("renderMessageHtml on hostile messages", () => {
  it("returns quickly, never throws, and emits nothing that runs or loads", () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const { result: html, ms } = cpuTimed(() => renderMessageHtml(text));
        expect(ms).toBeLessThan(200);
        expect(unsafeParts(html)).toEqual([]);
        expect(maxElementDepth(html)).toBeLessThanOrEqual(45);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the words after blocks nested any way, however deep", () => {
    const block = fc.constantFrom(">", "> ", "- ", "* ", "+ ", "1. ", "2) ", "  ", "\n", "\n> ", "\n  - ");
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 4 }), fc.nat({ max: MAX_CHAT_TEXT }), (unit, count) => {
        const text = `${unit.join("").repeat(count).slice(0, MAX_CHAT_TEXT - 20)} zqxj words zqxj`;
        expect(renderMessageHtml(text)).toContain("zqxj words zqxj");
      }),
      { numRuns: 200 },
    );
  });

  it("shows raw HTML as the text it was written as", () => {
    const tag = fc.constantFrom("script", "img", "iframe", "div", "b", "svg", "style", "a");
    fc.assert(
      fc.property(tag, fc.stringMatching(/^[a-z0-9 ]{1,20}$/), fc.stringMatching(/^[a-z0-9]{1,20}$/), (name, inside, after) => {
        const html = renderMessageHtml(`<${name} onload="x()">${inside}</${name}>\n${after}`);
        expect(html).toMatch(new RegExp(`&lt;${name} onload=(&quot;|")x\\(\\)(&quot;|")&gt;`));
        expect(html).toContain(after);
        expect(unsafeParts(html)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});
