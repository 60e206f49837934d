import { afterEach, describe, expect, it, vi } from "vitest";
import { drawableText, sharePreviewImage } from "@/lib/shares/preview-image";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

afterEach(() => vi.restoreAllMocks());

describe("drawableText", () => {
  it("keeps Latin, accents, Cyrillic and typographic punctuation", () => {
    expect(drawableText("Crème brûlée — “Привет” …", 100)).toBe("Crème brûlée — “Привет” …");
  });

  it("leaves out what the bundled font cannot draw (emoji, CJK, control characters) and collapses the gaps", () => {
    expect(drawableText("Refund 👋 for 注文 #1042\u0007", 100)).toBe("Refund for #1042");
    expect(drawableText("こんにちは", 100)).toBe("");
  });

  it("cuts long text with an ellipsis", () => {
    expect(drawableText("a".repeat(200), 10)).toBe(`${"a".repeat(9)}…`);
  });
});

describe("sharePreviewImage", () => {
  it("draws a 1200×630 PNG without fetching anything from the network, whatever the title holds", async () => {
    const fetched: string[] = [];
    const realFetch = globalThis.fetch;
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith("data:")) fetched.push(url);
      return realFetch(input, init);
    });
    const image = sharePreviewImage({
      title: "Order 1042 👋 注文 — refund",
      description: "How we fixed it ✨",
      channel: "whatsapp",
      messageCount: 12,
      publicName: "Acme Support",
    });
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("cache-control")).toBe("private, no-store");
    expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(bytes.readUInt32BE(16)).toBe(1200);
    expect(bytes.readUInt32BE(20)).toBe(630);
    expect(fetched).toEqual([]);
  });
});
