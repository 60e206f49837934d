import Markdown from "react-markdown";

/**
 * Renders a message's markdown safely: raw HTML is dropped (skipHtml), and react-markdown's
 * default URL transform blanks `javascript:`/`data:` links, so a message cannot run script.
 */
export function MessageMarkdown({ text }: { text: string }) {
  return (
    <div className="prose-message break-words">
      <Markdown
        skipHtml
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow ugc">
              {children}
            </a>
          ),
          img: ({ alt }) => <span>[image: {alt}]</span>,
        }}
      >
        {text}
      </Markdown>
    </div>
  );
}
