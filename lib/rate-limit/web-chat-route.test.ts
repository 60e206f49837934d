import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { prisma } from "@/lib/db";
import { createOrganization } from "@/lib/testing/fixtures";

// The route reads and sets the contact cookie through next/headers; here one jar plays the browser.
const jar = vi.hoisted(() => new Map<string, string>());
vi.mock("next/headers", () => ({
  cookies: async () => ({
    get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : undefined),
    set: (name: string, value: string) => void jar.set(name, value),
  }),
}));

const { POST } = await import("@/app/chat/[botId]/messages/route");

const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;

function send(botId: string, { ip, origin = "http://localhost:3000", files = 0 }: { ip: string; origin?: string | null; files?: number }) {
  const form = new FormData();
  form.set("text", "hello");
  for (let index = 0; index < files; index += 1) form.append("files", new File(["x"], `f${index}.txt`, { type: "text/plain" }));
  const headers: Record<string, string> = { "x-forwarded-for": ip, host: "localhost:3000" };
  if (origin) headers.origin = origin;
  return POST(new Request(`http://localhost:3000/chat/${botId}/messages`, { method: "POST", headers, body: form }), {
    params: Promise.resolve({ botId }),
  });
}

const messageCount = (botId: string) => prisma.message.count({ where: { conversation: { botId } } });

const saved = { ...process.env };
beforeEach(() => {
  jar.clear();
  process.env.APP_URL = "http://localhost:3000";
});
afterEach(() => {
  process.env = { ...saved };
});

describe("POST /chat/<botId>/messages limits", () => {
  it("answers a contact's flood with 429 and Retry-After, and stores nothing refused", async () => {
    process.env.RATE_LIMIT_CHAT_CONTACT = "3/1m";
    process.env.RATE_LIMIT_CHAT_IP = "off";
    const { bot } = await createOrganization();
    const statuses: number[] = [];
    let last: Response | undefined;
    // A new address each time: the contact's cookie is what is counted.
    for (let index = 0; index < 10; index += 1) {
      last = await send(bot.id, { ip: randomIp() });
      statuses.push(last.status);
    }
    // The first message has no cookie yet (only its address counts), then three per contact.
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429, 429, 429, 429, 429]);
    expect(Number(last!.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(Number(last!.headers.get("Retry-After"))).toBeLessThanOrEqual(60);
    expect(((await last!.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
    expect(await messageCount(bot.id)).toBe(4);

    // Another visitor of the same bot is not held back.
    jar.clear();
    expect((await send(bot.id, { ip: randomIp() })).status).toBe(201);
  });

  it("counts every contact behind one address, and each attached file as one more write", async () => {
    process.env.RATE_LIMIT_CHAT_CONTACT = "off";
    process.env.RATE_LIMIT_CHAT_IP = "5/1m";
    const { bot } = await createOrganization();
    const ip = randomIp();
    expect((await send(bot.id, { ip, files: 2 })).status).toBe(201); // 3 points
    jar.clear();
    expect((await send(bot.id, { ip })).status).toBe(201); // 4
    jar.clear();
    expect((await send(bot.id, { ip, files: 1 })).status).toBe(429); // 4 + 1 fits, its file does not
    jar.clear();
    expect((await send(bot.id, { ip })).status).toBe(429);
    expect((await send(bot.id, { ip: randomIp() })).status).toBe(201);
  });
});

describe("POST /chat/<botId>/messages origin", () => {
  it("refuses another site's Origin (and null) with 403 and writes nothing", async () => {
    const { bot } = await createOrganization();
    for (const origin of ["https://evil.example", "null", "http://localhost:3000.evil.example"]) {
      const response = await send(bot.id, { ip: randomIp(), origin });
      expect(response.status, origin).toBe(403);
    }
    expect(await messageCount(bot.id)).toBe(0);
    expect(await prisma.contact.count({ where: { botId: bot.id } })).toBe(0);
    expect(jar.size).toBe(0);
  });

  it("accepts its own Origin, and a client that sends neither Origin nor Sec-Fetch-Site", async () => {
    const { bot } = await createOrganization();
    expect((await send(bot.id, { ip: randomIp() })).status).toBe(201);
    expect((await send(bot.id, { ip: randomIp(), origin: null })).status).toBe(201);
    expect(await messageCount(bot.id)).toBe(2);
  });
});
