import "server-only";
import { ImageResponse } from "next/og";

// The picture Slack, Discord and others show for a share link. Drawn with next/og's bundled font
// (Geist) only: a character it lacks would make satori fetch a font from Google, so such
// characters are left out rather than fetched.

export const PREVIEW_SIZE = { width: 1200, height: 630 };

/** Every code point Geist Regular draws that a title is likely to use (Latin, Cyrillic, punctuation). */
const DRAWABLE = /[\u0020-\u007E\u00A0-\u00AC\u00AE-\u0113\u0116-\u012B\u012E-\u0137\u0139-\u013E\u0141-\u0148\u014A-\u014D\u0150-\u017E\u0400-\u045F\u2013\u2014\u2018-\u201A\u201C-\u201E\u2020-\u2022\u2026]/u;

/** The text with what the bundled font cannot draw left out, spaces collapsed, cut to `max` characters. */
export function drawableText(text: string, max: number): string {
  const kept = Array.from(text.normalize("NFC"), (character) => (DRAWABLE.test(character) ? character : " "))
    .join("")
    .replace(/\s+/g, " ")
    .trim();
  const characters = Array.from(kept);
  return characters.length > max ? `${characters.slice(0, max - 1).join("").trimEnd()}…` : kept;
}

/** What a preview shows: only what the share's public page shows to anyone with the link. */
export type PreviewContent = {
  title: string;
  description: string | null;
  channel: string;
  messageCount: number;
  /** The organization's chosen public name, or null (never an owner's or the internal name). */
  publicName: string | null;
};

export function sharePreviewImage(content: PreviewContent): ImageResponse {
  const title = drawableText(content.title, 90) || "Shared conversation";
  const description = content.description ? drawableText(content.description, 140) : "";
  const publicName = content.publicName ? drawableText(content.publicName, 60) : "";
  const facts = `${drawableText(content.channel, 30)} · ${content.messageCount} ${content.messageCount === 1 ? "message" : "messages"}`;
  return new ImageResponse(
    (
      <div style={{ display: "flex", flexDirection: "column", width: "100%", height: "100%", background: "#ffffff", color: "#111827", padding: 72 }}>
        <div style={{ display: "flex", width: 96, height: 12, borderRadius: 6, background: "#3b5bdb" }} />
        <div style={{ display: "flex", marginTop: 48, fontSize: 64, lineHeight: 1.15, fontWeight: 600 }}>{title}</div>
        {description && <div style={{ display: "flex", marginTop: 24, fontSize: 32, color: "#374151" }}>{description}</div>}
        <div style={{ display: "flex", marginTop: "auto", justifyContent: "space-between", alignItems: "flex-end", fontSize: 30, color: "#374151" }}>
          <div style={{ display: "flex", flexDirection: "column" }}>
            <div style={{ display: "flex" }}>{facts}</div>
            {publicName && <div style={{ display: "flex", marginTop: 8, color: "#111827" }}>{publicName}</div>}
          </div>
          <div style={{ display: "flex", color: "#3b5bdb", fontWeight: 600 }}>Switchboard</div>
        </div>
      </div>
    ),
    // Like every share response: never kept by a shared cache, so a revoked link's picture goes too.
    { ...PREVIEW_SIZE, headers: { "Cache-Control": "private, no-store" } },
  );
}
