/**
 * Chunked bodies of 600 MB (no Content-Length) against every route that reads a body: nothing is
 * read before the caller is authenticated, and at most the route's limit (plus one chunk) after.
 * Bytes pulled from the stream stand in for memory: what is never pulled is never held.
 */
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { POST as authPOST } from "@/app/api/auth/[...nextauth]/route";
import { POST as channelPOST } from "@/app/api/v1/bots/[botId]/messages/route";
import { PATCH as sharePATCH } from "@/app/api/v1/share/[shareId]/route";
import { POST as sharePOST } from "@/app/api/v1/share/route";
import { MAX_JSON_BODY_BYTES } from "@/lib/api/request";
import { maxChannelBodyBytes } from "@/lib/channels/mutations";
import { createOrganization } from "@/lib/testing/fixtures";
import { createBotTokenUnchecked, createPersonalTokenUnchecked } from "@/lib/tokens/mutations";

const CHUNK = 64 * 1024;
const HUGE = 600 * 1024 * 1024;

/** A 600 MB chunked body that counts what the server pulls from it. */
function hugeBody() {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.pulled >= HUGE) return controller.close();
      counter.pulled += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
    },
  });
  return { stream, counter };
}

function post(url: string, token: string | null, method = "POST") {
  const { stream, counter } = hugeBody();
  const request = new NextRequest(url, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: stream,
    duplex: "half",
  } as unknown as ConstructorParameters<typeof NextRequest>[1]);
  return { request, counter };
}

const params = <T extends Record<string, unknown>>(value: T) => ({ params: Promise.resolve(value) });

describe("oversized chunked bodies", () => {
  it("are not read at all before a REST caller is authenticated (401)", async () => {
    const cases = [
      () => post("http://localhost/api/v1/share", null),
      () => post("http://localhost/api/v1/share/AAAAAAAAAAAAAAAAAAAAAAAA", null, "PATCH"),
      () => post("http://localhost/api/v1/bots/some-bot/messages", null),
    ];
    const handlers = [
      (request: NextRequest) => sharePOST(request),
      (request: NextRequest) => sharePATCH(request, params({ shareId: "AAAAAAAAAAAAAAAAAAAAAAAA" })),
      (request: NextRequest) => channelPOST(request, params({ botId: "some-bot" })),
    ];
    for (const [index, make] of cases.entries()) {
      const { request, counter } = make();
      const response = await handlers[index](request);
      expect(response.status).toBe(401);
      // A stream may be asked for its first chunk when it is handed over; nothing past it.
      expect(counter.pulled).toBeLessThanOrEqual(CHUNK);
    }
  });

  it("are cut off at the route's limit for an authenticated caller (413)", async () => {
    const org = await createOrganization();
    const personal = (await createPersonalTokenUnchecked(org.owner.email)).token;
    const bot = (await createBotTokenUnchecked(org.bot.id)).token;

    const share = post("http://localhost/api/v1/share", personal);
    expect((await sharePOST(share.request)).status).toBe(413);
    expect(share.counter.pulled).toBeLessThanOrEqual(MAX_JSON_BODY_BYTES + 2 * CHUNK);

    const channel = post(`http://localhost/api/v1/bots/${org.bot.id}/messages`, bot);
    expect((await channelPOST(channel.request, params({ botId: org.bot.id }))).status).toBe(413);
    expect(channel.counter.pulled).toBeLessThanOrEqual(maxChannelBodyBytes() + 2 * CHUNK);
  });

  it("are cut off at 16 KiB on next-auth's sign-in callback, before next-auth sees them (413)", async () => {
    const { request, counter } = post("http://localhost/api/auth/callback/credentials", null);
    const response = await authPOST(request, params({ nextauth: ["callback", "credentials"] }));
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(16 * 1024 + 2 * CHUNK);
  });
});
