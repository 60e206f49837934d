/**
 * What the benchmark needs in its throw-away database, made through the app's own code (a bot,
 * tokens, a 220-message conversation shared publicly, a conversation of large files shared for
 * Download all) and, for the owner list, plain SQL (generate_series) for the many conversations.
 */
import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";
import { prisma } from "@/lib/db";
import { appendMessage } from "@/lib/messages/append";
import { createShare } from "@/lib/shares/mutations";
import { createBotTokenUnchecked, createPersonalTokenUnchecked } from "@/lib/tokens/mutations";
import { getFileStorage } from "@/lib/storage";
import { createConversation, createOrganization } from "@/lib/testing/fixtures";
import type { UserActor } from "@/lib/auth/actor";

// About 88 KB of page for 220 messages, as in the measurements.
const PARAGRAPH = "Your **order** left our warehouse on Monday; the carrier expects to deliver it by Thursday ([help](https://example.com/help)).";

export type Seeded = Awaited<ReturnType<typeof seedBench>>;

export async function seedBench({ zipMegabytes, storageDir }: { zipMegabytes: number; storageDir: string }) {
  const { organization, owner, bot } = await createOrganization("Bench");
  const botToken = await createBotTokenUnchecked(bot.id, "bench");
  const personalToken = await createPersonalTokenUnchecked(owner.email, "bench");

  const { conversation } = await createConversation(bot.id, [], "Order 1234 — delivery question");
  for (let index = 0; index < 220; index++) {
    await prisma.$transaction((tx) =>
      appendMessage(tx, { conversationId: conversation.id, role: index % 2 ? "BOT" : "CONTACT", text: `${index + 1}. ${PARAGRAPH}` }),
    );
  }
  const { share } = await createShare(owner.actor, { conversationId: conversation.id, regenerate: true, settings: {} });

  const { conversation: files } = await createConversation(bot.id, [], "Files");
  const fileSize = 16 * 1024 * 1024;
  const filePaths: string[] = [];
  const storage = getFileStorage();
  for (let index = 0; index < Math.max(1, Math.round(zipMegabytes / 16)); index++) {
    const bytes = randomBytes(fileSize);
    const storageKey = `${files.id}/bench-${index}`;
    await storage.write(storageKey, bytes);
    filePaths.push(`${storageDir}/${storageKey}`);
    await prisma.$transaction((tx) =>
      appendMessage(tx, {
        conversationId: files.id,
        role: "CONTACT",
        text: `file ${index}`,
        files: [{ fileName: `file-${index}.bin`, contentType: "application/octet-stream", size: bytes.length, storageKey, crc32: crc32(bytes) }],
      }),
    );
  }
  const { share: fileShare } = await createShare(owner.actor, { conversationId: files.id, regenerate: true, settings: {} });
  return {
    organizationId: organization.id,
    owner: owner.actor,
    botId: bot.id,
    botToken: botToken.token,
    personalToken: personalToken.token,
    conversationId: conversation.id,
    shareId: share.publicId,
    fileShareId: fileShare.publicId,
    filePaths,
  };
}

/** An organization with `count` conversations (one contact each), spread over a year; its owner reads them. */
export async function seedOwnerList(count: number): Promise<UserActor> {
  const { organization, owner, bot } = await createOrganization(`List ${count}`);
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Contact" ("id", "botId", "kind", "externalId", "name")
     SELECT 'ct' || $1::text || '-' || g, $1, 'CHANNEL', '+1555' || lpad(g::text, 7, '0'), 'Contact ' || md5(g::text)
     FROM generate_series(1, $2::int) AS g`,
    bot.id,
    count,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Conversation" ("id", "botId", "contactId", "title", "channel", "messageCount", "updatedAt", "lastMessageAt")
     SELECT 'cv' || $1::text || '-' || g, $1, 'ct' || $1::text || '-' || g, 'Chat about ' || md5((g * 7)::text), 'whatsapp', 3,
            now(), now() - (g || ' minutes')::interval
     FROM generate_series(1, $2::int) AS g`,
    bot.id,
    count,
  );
  await prisma.$executeRawUnsafe(`ANALYZE "Conversation"`);
  await prisma.$executeRawUnsafe(`ANALYZE "Contact"`);
  void organization;
  return owner.actor;
}
