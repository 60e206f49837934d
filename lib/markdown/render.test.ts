import { describe, expect, it } from "vitest";
import { MAX_MARKDOWN_INPUT, renderMessageHtml, renderPlainTextHtml } from "@/lib/markdown/render";
import { cpuTimed, maxElementDepth } from "@/lib/markdown/test-helpers";
import { MAX_CHAT_TEXT } from "@/lib/chat/schemas";


function timed(text: string): { html: string; ms: number } {
  const { result, ms } = cpuTimed(() => renderMessageHtml(text));
  return { html: result, ms };
}

describe("renderMessageHtml", () => {
  it("renders the markdown subset people write in chats", () => {
    const html = renderMessageHtml("**Order** _42_ is `shipped`:\n\n- one\n- two\n\n> quoted");
    expect(html).toContain("<strong>Order</strong>");
    expect(html).toContain("<em>42</em>");
    expect(html).toContain("<code>shipped</code>");
    expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>/);
  });

  it("keeps every line of a multi-line message", () => {
    const html = renderMessageHtml("first line\nsecond line\nthird line");
    expect(html).toMatch(/first line<br \/?>\s*second line<br \/?>\s*third line/);
  });

  it("shows a message that starts with an HTML block as text instead of dropping it", () => {
    const html = renderMessageHtml("<div>\nHello <b>there</b>\n</div>");
    expect(html).toContain("&lt;div&gt;");
    expect(html).toContain("Hello &lt;b&gt;there&lt;/b&gt;");
    expect(html).not.toMatch(/<div|<b>/);
  });

  it("shows a <script> line as text and keeps the text after it", () => {
    const html = renderMessageHtml("before\n<script>alert(document.cookie)</script>\nafter the script");
    expect(html).toContain("&lt;script&gt;alert(document.cookie)&lt;/script&gt;");
    expect(html).toContain("after the script");
    expect(html).not.toContain("<script");
  });

  it("links only http(s) and mailto, opening in a new tab without referrer", () => {
    const html = renderMessageHtml("[site](https://example.com/a?b=1) and [mail](mailto:help@example.com)");
    expect(html).toContain('<a href="https://example.com/a?b=1" target="_blank" rel="noopener noreferrer nofollow ugc">site</a>');
    expect(html).toContain('<a href="mailto:help@example.com" target="_blank" rel="noopener noreferrer nofollow ugc">mail</a>');
  });

  it.each([
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
  ])("drops a dangerous link: %s", (text) => {
    const html = renderMessageHtml(text);
    expect(html).not.toContain("<a ");
    expect(html).not.toMatch(/href=/i);
    // What was written stays visible as text.
    expect(html).toMatch(/click|javascript/);
  });

  it("does not link relative paths, which would point into this site", () => {
    const html = renderMessageHtml("[log out](/api/auth/signout) [x](//evil.example/)");
    expect(html).not.toContain("<a ");
  });

  it("never loads an image: it becomes a link named by its alt text", () => {
    const html = renderMessageHtml("![a cat](https://example.com/cat.png) ![x](javascript:alert(1))");
    expect(html).not.toContain("<img");
    expect(html).toContain('<a href="https://example.com/cat.png" target="_blank" rel="noopener noreferrer nofollow ugc">[image: a cat]</a>');
    // The refused image stays visible as the text it was written as, never as a link.
    expect(html).not.toMatch(/href="javascript/i);
    expect(html).toContain("![x](javascript:alert(1))");
  });

  it("links bare web addresses", () => {
    expect(renderMessageHtml("see https://example.com/docs")).toContain('<a href="https://example.com/docs"');
  });

  // Every kind of nesting markdown has, repeated to the longest message anyone may send.
  const deep: Array<[string, string]> = [
    ["block quotes", ">".repeat(MAX_CHAT_TEXT)],
    ["block quotes with spaces", "> ".repeat(MAX_CHAT_TEXT / 2)],
    ["bullet lists", "- ".repeat(MAX_CHAT_TEXT / 2 - 1) + "x"],
    ["star lists", "* ".repeat(MAX_CHAT_TEXT / 2 - 1) + "x"],
    ["ordered lists", "1. ".repeat(MAX_CHAT_TEXT / 3) + "x"],
    ["indented lists", Array.from({ length: 400 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n").slice(0, MAX_CHAT_TEXT)],
    ["quotes and lists", "> - 1. ".repeat(MAX_CHAT_TEXT / 7)],
    ["emphasis", "*a ".repeat(MAX_CHAT_TEXT / 6) + "b* ".repeat(MAX_CHAT_TEXT / 6)],
    ["strong emphasis", "**a ".repeat(MAX_CHAT_TEXT / 8) + "b** ".repeat(MAX_CHAT_TEXT / 8)],
    ["underscores", "_a ".repeat(MAX_CHAT_TEXT / 6) + "b_ ".repeat(MAX_CHAT_TEXT / 6)],
    ["strikethrough", "~~a ".repeat(MAX_CHAT_TEXT / 8) + "b~~ ".repeat(MAX_CHAT_TEXT / 8)],
    ["links", "[".repeat(MAX_CHAT_TEXT / 2) + "](https://e.x)".repeat(MAX_CHAT_TEXT / 28)],
    ["link labels", "[a".repeat(MAX_CHAT_TEXT / 2)],
    ["images", "![".repeat(MAX_CHAT_TEXT / 2)],
    ["mixed inline", "*_**~~`[".repeat(MAX_CHAT_TEXT / 8)],
  ];

  it.each(deep)("bounds deep nesting of %s, quickly, and keeps the text", (_kind, markup) => {
    const text = `${markup.slice(0, MAX_CHAT_TEXT - 20)} the words at the end`;
    const { html, ms } = timed(text);
    expect(maxElementDepth(html)).toBeLessThanOrEqual(45);
    expect(ms).toBeLessThan(200);
    expect(html).toContain("the words at the end");
  });

  it("still nests lists and quotes a few levels deep", () => {
    const html = renderMessageHtml("> - one\n>   - two\n>     - three");
    expect(html).toMatch(/<blockquote>\s*<ul>\s*<li>one\s*<ul>\s*<li>two\s*<ul>\s*<li>three/);
  });

  const runs: Array<[string, string]> = [
    ["stars", "*".repeat(MAX_CHAT_TEXT)],
    ["alternating emphasis", "*a".repeat(MAX_CHAT_TEXT / 2)],
    ["backticks", "`".repeat(MAX_CHAT_TEXT)],
    ["growing backtick runs", Array.from({ length: 87 }, (_, i) => "`".repeat(i + 1)).join(" ")],
    ["angle brackets", "<".repeat(MAX_CHAT_TEXT)],
    ["unclosed tags", "<a".repeat(MAX_CHAT_TEXT / 2)],
    ["entities", "&#".repeat(MAX_CHAT_TEXT / 2)],
    ["backslashes", "\\".repeat(MAX_CHAT_TEXT)],
    ["newlines", "a\n".repeat(MAX_CHAT_TEXT / 2)],
    ["reference definitions", "[a]: https://e.x\n".repeat(MAX_CHAT_TEXT / 17)],
    ["fences", "~~~\n".repeat(MAX_CHAT_TEXT / 4)],
    ["wide table", "|a".repeat(666) + "\n" + "|-".repeat(666) + "\n" + "|b".repeat(666)],
    ["table of empty rows", "|a".repeat(200) + "\n" + "|-".repeat(200) + "\n" + "|\n".repeat(1599)],
    ["web addresses", "http://a.b/".repeat(MAX_CHAT_TEXT / 11)],
  ];

  it.each(runs)("renders a long run of %s quickly and boundedly", (_kind, text) => {
    expect(text.length).toBeLessThanOrEqual(MAX_CHAT_TEXT);
    const { html, ms } = timed(text);
    expect(ms).toBeLessThan(200);
    expect(html.length).toBeLessThan(50 * text.length);
  });

  it("keeps a table of empty rows from ballooning into hundreds of thousands of cells", () => {
    const html = renderMessageHtml("|a".repeat(200) + "\n" + "|-".repeat(200) + "\n" + "|\n".repeat(1600));
    expect(html.match(/<td/g)?.length ?? 0).toBeLessThan(5_000);
  });

  it("still renders a reasonable table", () => {
    const html = renderMessageHtml("| a | b |\n|---|--:|\n| 1 | 2 |");
    expect(html).toContain("<table>");
    expect(html).toContain('<td style="text-align:right">2</td>');
  });

  it("shows a text over the input bound as plain text, lines kept", () => {
    const text = `${"**a** <b>\n".repeat(MAX_MARKDOWN_INPUT / 10)}end`;
    const html = renderMessageHtml(text);
    expect(html).toBe(renderPlainTextHtml(text));
    expect(html).not.toContain("<strong>");
    expect(html).toContain("&lt;b&gt;<br>");
  });
});

describe("renderPlainTextHtml", () => {
  it("escapes everything and keeps line breaks", () => {
    expect(renderPlainTextHtml(`<img src=x onerror="a('b')">\r\nnext & last`)).toBe(
      "<p>&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;<br>\nnext &amp; last</p>",
    );
  });
});
