import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { openEventReader, postMessage } from "@/lib/events/testing";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";

describe("safety poll", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

  it("delivers an event whose wake-up was lost, within the poll interval", async () => {
    process.env.EVENTS_POLL_SECONDS = "0.3";
    const { bot } = await createOrganization();
    const { conversation } = await createConversation(bot.id, []);
    const reader = openEventReader(conversation.id);
    cleanups.push(reader.close);
    await postMessage(conversation.id, "signalled");
    await reader.waitFor(1, 5_000);

    // Written without any wake-up, as if its signal had been lost on the way.
    const silentAt = performance.now();
    await prisma.conversationEvent.create({
      data: { conversationId: conversation.id, type: "message", data: { message: { text: "lost signal" } } },
    });
    const [, event] = await reader.waitFor(2, 3_000);

    expect(event.text).toBe("lost signal");
    expect(event.at - silentAt).toBeLessThan(1_500);
  });
});
