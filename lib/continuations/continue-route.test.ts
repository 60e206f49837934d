import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { createShare, revokeShare } from "@/lib/shares/mutations";
import type { ShareSettingsInput } from "@/lib/shares/schemas";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import { organizationRowCounts } from "@/lib/testing/side-effects";

// The route reads the request's headers and the contact cookie through next/headers; here one jar
// plays the browser and each request's headers are the ones next/headers answers with.
const browser = vi.hoisted(() => ({ jar: new Map<string, string>(), headers: new Headers() }));
vi.mock("next/headers", () => ({
  headers: async () => browser.headers,
  cookies: async () => ({
    get: (name: string) => (browser.jar.has(name) ? { name, value: browser.jar.get(name) } : undefined),
    getAll: () => [...browser.jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => browser.jar.has(name),
    set: (name: string, value: string) => void browser.jar.set(name, value),
  }),
}));

// A signed-out viewer (next-auth reads its session through its own copy of next/headers).
vi.mock("next-auth", () => ({ getServerSession: async () => null }));

const { POST } = await import("@/app/chat/[botId]/continue/route");

const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;

function continueAt(botId: string, share: string, { ip = randomIp(), json = false } = {}) {
  browser.headers = new Headers({ "x-forwarded-for": ip, host: "localhost:3000", origin: "http://localhost:3000", ...(json ? { accept: "application/json" } : {}) });
  const body = new URLSearchParams({ share });
  return POST(new Request(`http://localhost:3000/chat/${botId}/continue`, { method: "POST", headers: browser.headers, body }), {
    params: Promise.resolve({ botId }),
  });
}

async function sharedConversation(settings: ShareSettingsInput = { allowContinuation: true }) {
  const org = await createOrganization();
  const { conversation } = await createConversation(org.bot.id);
  const { share } = await createShare(org.owner.actor, { conversationId: conversation.id, settings });
  return { ...org, share };
}

const saved = { ...process.env };
beforeEach(() => {
  browser.jar.clear();
  process.env.APP_URL = "http://localhost:3000";
});
afterEach(() => {
  process.env = { ...saved };
});

describe("POST /chat/<botId>/continue", () => {
  it("opens the viewer's copy in the web chat and remembers them, so a second press returns to it", async () => {
    const { bot, share } = await sharedConversation();

    const first = await continueAt(bot.id, share.publicId);
    expect(first.status).toBe(303);
    const location = first.headers.get("location")!;
    expect(location).toMatch(new RegExp(`^/chat/${bot.id}\\?conversation=[0-9a-f-]{36}$`));
    expect(browser.jar.get(`sb_contact_${bot.id}`)).toMatch(/^[A-Za-z0-9_-]{24}\.[A-Za-z0-9_-]{43}$/);

    const second = await continueAt(bot.id, share.publicId, { json: true });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ url: location });
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).continuationCount).toBe(1);
  });

  it.each<[string, (s: Awaited<ReturnType<typeof sharedConversation>>) => Promise<unknown>]>([
    ["a link that does not allow it", (s) => prisma.share.update({ where: { id: s.share.id }, data: { allowContinuation: false } })],
    ["a revoked link", (s) => revokeShare(s.owner.actor, { shareId: s.share.id })],
    ["a link for members of the organization, to a signed-out viewer", (s) => prisma.share.update({ where: { id: s.share.id }, data: { visibility: "ORGANIZATION" } })],
  ])("answers 404 for %s, writing nothing and setting no cookie", async (_, makeUnavailable) => {
    const s = await sharedConversation();
    await makeUnavailable(s);
    const before = await organizationRowCounts([s.organization.id]);

    const response = await continueAt(s.bot.id, s.share.publicId);

    expect(response.status).toBe(404);
    expect(await organizationRowCounts([s.organization.id])).toEqual(before);
    expect(browser.jar.size).toBe(0);
  });

  it("answers 404 for another bot's chat and 400 for a malformed share id", async () => {
    const s = await sharedConversation();
    const other = await createOrganization();
    expect((await continueAt(other.bot.id, s.share.publicId)).status).toBe(404);
    expect((await continueAt(s.bot.id, "not a share id")).status).toBe(400);
    expect(await prisma.conversation.count({ where: { botId: { in: [s.bot.id, other.bot.id] }, forkedFromShareId: { not: null } } })).toBe(0);
  });

  it("refuses another site's form with 403", async () => {
    const { bot, share } = await sharedConversation();
    browser.headers = new Headers({ host: "localhost:3000", origin: "https://evil.example", "x-forwarded-for": randomIp() });
    const response = await POST(
      new Request(`http://localhost:3000/chat/${bot.id}/continue`, { method: "POST", headers: browser.headers, body: new URLSearchParams({ share: share.publicId }) }),
      { params: Promise.resolve({ botId: bot.id }) },
    );
    expect(response.status).toBe(403);
    expect(await prisma.conversation.count({ where: { forkedFromShareId: share.id } })).toBe(0);
  });

  it("limits continuations per address with 429", async () => {
    process.env.RATE_LIMIT_CONTINUE_IP = "2/1m";
    const { bot, share } = await sharedConversation();
    const ip = randomIp();
    const statuses: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      browser.jar.clear(); // a new visitor each time, from one address
      statuses.push((await continueAt(bot.id, share.publicId, { ip })).status);
    }
    expect(statuses).toEqual([303, 303, 429, 429]);
    expect((await prisma.share.findUniqueOrThrow({ where: { id: share.id } })).continuationCount).toBe(2);
  });
});
