import MarkdownIt, { type MarkdownIt as Markdown, type RendererRule, type StateCore } from "markdown-it";
import sanitizeHtml from "sanitize-html";

// Messages come from anyone who can reach a web chat or a channel token, and they cannot be
// edited afterwards: a message that breaks the renderer would break every page that shows it,
// for good. So rendering is bounded (nesting depth, input size, output size), never throws, and
// what it returns is sanitized HTML that is safe to inject on the server and in the browser.

/**
 * Longer texts are shown as plain text. Messages are at most 4,000 characters today
 * (MAX_CHAT_TEXT, the flows' and the operators' limits); the margin covers older data.
 */
export const MAX_MARKDOWN_INPUT = 20_000;

/**
 * How deep blocks (quotes, lists) and inline marks (emphasis, links) may nest. Deeper inline
 * marks are left as the text they were written as; a message whose blocks nest deeper is shown
 * as plain text. A chat message has no use for more than a few levels (a list item is two).
 */
const MAX_NESTING = 20;

/** An output larger than this many times the input means pathological markup: show text. */
const MAX_OUTPUT_RATIO = 40;

const ALLOWED_SCHEMES = ["http", "https", "mailto"];
const LINK_REL = "noopener noreferrer nofollow ugc";

/**
 * A table's cells are (header columns) × (rows), and markdown-it fills in missing cells: a short
 * text can ask for hundreds of thousands (300 ms and megabytes of HTML for 5,000 characters).
 * A text that could ask for more than this is rendered without tables.
 */
const MAX_TABLE_CELLS = 5_000;

function createMarkdown(): Markdown {
  const md = new MarkdownIt("default", {
    // Raw HTML in a message is text: markdown-it escapes it instead of passing it through.
    html: false,
    linkify: true,
    // A chat message's line breaks are meant: keep them.
    breaks: true,
    typographer: false,
    maxNesting: MAX_NESTING,
  });
  // Only web and mail links become links; anything else (javascript:, data:, relative paths that
  // would resolve against our own origin) stays the text it was written as.
  md.validateLink = (url: string) => /^(https?:\/\/|mailto:)/i.test(url.trim());
  md.core.ruler.push("limit_inline_nesting", limitInlineNesting);
  md.renderer.rules.link_open = renderLinkOpen;
  md.renderer.rules.image = renderImage;
  return md;
}

/**
 * markdown-it bounds the nesting of blocks and links by `maxNesting`, but emphasis is paired after
 * parsing, unbounded: `**a ` × 1,000 then `b** ` × 1,000 nests a thousand <strong>s. Marks nested
 * deeper than MAX_NESTING are turned back into the text they were written as.
 */
function limitInlineNesting(state: StateCore): void {
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    let depth = 0;
    for (const token of block.children) {
      const nesting = token.nesting;
      if (nesting === 1) depth++;
      if (nesting !== 0 && depth > MAX_NESTING) {
        token.type = "text";
        token.tag = "";
        token.nesting = 0;
        token.content = token.markup;
      }
      if (nesting === -1) depth--;
    }
  }
}

function renderLinkOpen(...[tokens, index, options, , self]: Parameters<RendererRule>): string {
  const token = tokens[index];
  token.attrSet("target", "_blank");
  token.attrSet("rel", LINK_REL);
  return self.renderToken(tokens, index, options);
}

// Images are never loaded (a remote image tells its host who reads the conversation, and when):
// they are shown as a link to the image, named by its alt text.
function renderImage(...[tokens, index]: Parameters<RendererRule>): string {
  const token = tokens[index];
  const src = String(token.attrGet("src") ?? "");
  const alt = escapeHtml(token.content || src);
  return `<a href="${escapeHtml(src)}" target="_blank" rel="${LINK_REL}">[image: ${alt}]</a>`;
}

// Defence in depth: whatever markdown-it emits passes an allowlist of exactly the tags and
// attributes its rules produce. Anything else would be a bug or a bypass, and is shown as text.
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p", "br", "strong", "em", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
  ],
  allowedAttributes: { a: ["href", "target", "rel"], ol: ["start"], th: ["style"], td: ["style"], code: ["class"] },
  allowedClasses: { code: ["language-*"] },
  allowedStyles: { "*": { "text-align": [/^(left|right|center)$/] } },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "escape",
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, target: "_blank", rel: LINK_REL } }),
  },
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** An upper bound of the cells a table in `text` could have: its widest row × its lines. */
function mayAskForHugeTables(text: string): boolean {
  let lines = 1;
  let pipes = 0;
  let widest = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x7c /* | */) pipes++;
    else if (code === 0x0a /* \n */) {
      lines++;
      widest = Math.max(widest, pipes);
      pipes = 0;
    }
  }
  widest = Math.max(widest, pipes);
  return widest > 0 && (widest + 1) * lines > MAX_TABLE_CELLS;
}

const markdown = createMarkdown();
const markdownWithoutTables = createMarkdown().disable("table");

/** A message as escaped plain text, its lines kept: what is shown when markdown cannot be. */
export function renderPlainTextHtml(text: string): string {
  const escaped = escapeHtml(text).replace(/\r\n?/g, "\n").replace(/\n/g, "<br>\n");
  return `<p>${escaped}</p>`;
}

/**
 * A message's text as sanitized HTML: a markdown subset (emphasis, links, lists, quotes, code,
 * tables) with HTML shown as text, only http(s)/mailto links, images as links. Never throws;
 * text it cannot render within its bounds comes back as escaped plain text.
 */
export function renderMessageHtml(text: string): string {
  if (text.length > MAX_MARKDOWN_INPUT) return renderPlainTextHtml(text);
  try {
    const parser = mayAskForHugeTables(text) ? markdownWithoutTables : markdown;
    const env = {};
    const tokens = parser.parse(text, env);
    // At MAX_NESTING markdown-it stops parsing blocks and drops the rest of the text: rather
    // than lose what someone wrote, show all of it as text.
    if (tokens.some((token) => token.block && token.nesting === 1 && token.level >= MAX_NESTING - 1)) {
      return renderPlainTextHtml(text);
    }
    const html = parser.renderer.render(tokens, parser.options, env);
    if (html.length > MAX_OUTPUT_RATIO * text.length + 1_000) return renderPlainTextHtml(text);
    return sanitizeHtml(html, SANITIZE_OPTIONS);
  } catch {
    // A parser bug (a stack overflow on input nobody foresaw) must cost one message its
    // formatting, never the page.
    return renderPlainTextHtml(text);
  }
}
