"use client";

import { Component, type ReactNode } from "react";

type Props = { text: string; html: string | undefined };

/** A message's text exactly as written, lines kept: what is shown when its HTML cannot be. */
function PlainText({ text }: { text: string }) {
  return <div className="prose-message whitespace-pre-wrap break-words">{text}</div>;
}

/**
 * Shows a message's HTML, rendered and sanitized on the server when the message was written
 * (lib/markdown/render.ts), so the browser shows exactly what the server page showed.
 */
export function MessageBody({ text, html }: Props) {
  return (
    <MessageBoundary text={text}>
      {/* Events recorded before messages carried HTML have none: show their text. */}
      {html ? <div className="prose-message break-words" dangerouslySetInnerHTML={{ __html: html }} /> : <PlainText text={text} />}
    </MessageBoundary>
  );
}

/**
 * The last line of defence: one message that fails to render shows its plain text, and the
 * rest of the conversation (and the page) stays up.
 */
class MessageBoundary extends Component<{ text: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  render() {
    return this.state.failed ? <PlainText text={this.props.text} /> : this.props.children;
  }
}
