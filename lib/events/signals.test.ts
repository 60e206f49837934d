import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import type { EventTransport, SignalNotice } from "@/lib/events/notice";
import { createRedisTransport } from "@/lib/events/redis-transport";
import { isRedisReachable, TEST_REDIS_URL } from "@/lib/events/testing";
import { postgresNotifyTransport } from "@/lib/events/transport";
import type { ConversationSignal } from "@/lib/events/types";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

const redisReachable = await isRedisReachable(TEST_REDIS_URL);
const redis = redisReachable ? createRedisTransport(TEST_REDIS_URL, { channel: `switchboard_signals_test_${randomBytes(6).toString("hex")}` }) : null;
afterAll(() => redis?.close());

const transports: [string, EventTransport][] = [["PostgreSQL NOTIFY", postgresNotifyTransport], ...(redis ? [["Redis pub/sub", redis] as [string, EventTransport]] : [])];

describe.each(transports)("ephemeral signals through %s", (_name, transport) => {
  it("reach the receivers whole and write no event", async () => {
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id);
    const received: SignalNotice[] = [];
    const woken: string[] = [];
    const stop = await transport.receive({ onNotice: (id) => woken.push(id), onResync: () => {}, onSignal: (notice) => received.push(notice) });
    try {
      const signal: ConversationSignal = { type: "typing", from: "operator", typing: true, name: "Dana" };
      await transport.signal({ conversationId: conversation.id, signal });
      await expect.poll(() => received.filter((notice) => notice.conversationId === conversation.id), { timeout: 10_000 }).toEqual([{ conversationId: conversation.id, signal }]);
      // Not a wake-up: no reader rereads the table for it, and there is nothing there.
      expect(woken).not.toContain(conversation.id);
      expect(await prisma.conversationEvent.count({ where: { conversationId: conversation.id } })).toBe(0);
    } finally {
      await stop();
    }
  });
});
