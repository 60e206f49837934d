import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { createShare } from "@/lib/shares/mutations";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

// Each request's address comes from next/headers; viewers here are anonymous.
const request = vi.hoisted(() => ({ ip: "" }));
vi.mock("next/headers", () => ({ headers: async () => new Headers({ "x-forwarded-for": request.ip }) }));
vi.mock("@/lib/auth/current-actor", () => ({ getActor: async () => ({ kind: "anonymous" }) }));

const { GET: getMessages } = await import("@/app/share/[id]/messages/route");
const { POST: postView } = await import("@/app/share/[id]/view/route");
const { lookUpShare } = await import("@/app/share/[id]/load-share");

const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;
const guess = () => randomBytes(16).toString("base64url");

function messagesOf(id: string, ip: string) {
  request.ip = ip;
  return getMessages(new Request(`http://localhost:3000/share/${id}/messages`), { params: Promise.resolve({ id }) });
}

async function sharedConversation() {
  const org = await createOrganization();
  const { conversation } = await createConversation(org.bot.id);
  const { share } = await createShare(org.owner.actor, { conversationId: conversation.id, settings: {} });
  return share;
}

const saved = { ...process.env };
beforeEach(() => {
  process.env.RATE_LIMIT_SHARE_LOOKUP_IP = "5/10m";
});
afterEach(() => {
  process.env = { ...saved };
});

describe("share-id guessing", () => {
  it("answers 404 to the first misses, then 429 with Retry-After to every lookup from that address, real links included", async () => {
    const share = await sharedConversation();
    const guesser = randomIp();
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let index = 0; index < 20; index += 1) {
      last = await messagesOf(guess(), guesser);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(5).fill(404), ...Array(15).fill(429)]);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThan(500);
    expect(Number(last!.headers.get("Retry-After"))).toBeLessThanOrEqual(600);

    // A hit cannot be told from a miss while the address waits.
    expect((await messagesOf(share.publicId, guesser)).status).toBe(429);
    // The page says so too (a page cannot answer 429 itself).
    request.ip = guesser;
    expect((await lookUpShare(share.publicId)).retryAfterSeconds).toBeGreaterThan(500);
    // Anyone else still opens the link.
    expect((await messagesOf(share.publicId, randomIp())).status).toBe(200);
  });

  it("never counts a real link's lookups, however many a viewer makes", async () => {
    const share = await sharedConversation();
    const viewer = randomIp();
    for (let index = 0; index < 30; index += 1) expect((await messagesOf(share.publicId, viewer)).status).toBe(200);
    for (let index = 0; index < 5; index += 1) expect((await messagesOf(guess(), viewer)).status).toBe(404);
    expect((await messagesOf(guess(), viewer)).status).toBe(429);
  });

  it("a refused view is not counted", async () => {
    const share = await sharedConversation();
    const guesser = randomIp();
    for (let index = 0; index < 5; index += 1) await messagesOf(guess(), guesser);
    request.ip = guesser;
    const response = await postView(
      new Request(`http://localhost:3000/share/${share.publicId}/view`, { method: "POST", headers: { origin: "http://localhost:3000", host: "localhost:3000" } }),
      { params: Promise.resolve({ id: share.publicId }) },
    );
    expect(response.status).toBe(429);
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).viewCount).toBe(0);
  });
});
