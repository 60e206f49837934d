/**
 * Test data builders. Each test makes its own organization (names carry a random suffix), so
 * tests never depend on each other or on the demo seed, on PGlite and on a shared PostgreSQL.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { UserActor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import type { MemberRole, MessageRole } from "@/lib/generated/prisma/client";
import { getFileStorage } from "@/lib/storage";

const suffix = () => randomBytes(4).toString("hex");

export type TestMember = { actor: UserActor; userId: string; email: string; name: string };

export async function createMember(organizationId: string, role: MemberRole = "OWNER", name = `Member ${suffix()}`): Promise<TestMember> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}.${suffix()}@example.test`;
  const user = await prisma.user.create({
    // Members operate under a name they chose once; here it is their name (tests of the prompt clear it).
    data: { email, name, operatorName: name, passwordHash: "not-used-in-tests", memberships: { create: { organizationId, role } } },
  });
  const organization = await prisma.organization.findUniqueOrThrow({ where: { id: organizationId } });
  return {
    userId: user.id,
    email,
    name,
    actor: {
      kind: "user",
      userId: user.id,
      name,
      email,
      memberships: [{ organizationId, organizationName: organization.name, role }],
    },
  };
}

/** An organization with an owner and one bot. */
export async function createOrganization(name = `Org ${suffix()}`) {
  const organization = await prisma.organization.create({ data: { name, slug: `org-${suffix()}` } });
  const owner = await createMember(organization.id, "OWNER", `Owner of ${name}`);
  const bot = await prisma.bot.create({ data: { organizationId: organization.id, name: `Bot ${suffix()}` } });
  return { organization, owner, bot };
}

export type TestMessage = {
  role?: MessageRole;
  text?: string;
  files?: { fileName: string; bytes: Uint8Array | string; contentType?: string }[];
};

/** A conversation with messages (and files) in order. */
export async function createConversation(botId: string, messages: TestMessage[] = [{}, {}], title = `Conversation ${suffix()}`) {
  const contact = await prisma.contact.create({ data: { botId, externalId: `contact-${suffix()}`, name: "Test Contact" } });
  const conversation = await prisma.conversation.create({
    data: { botId, contactId: contact.id, title, messageCount: messages.length },
  });
  const messageIds: string[] = [];
  const attachmentIds: string[] = [];
  for (const [index, message] of messages.entries()) {
    const row = await prisma.message.create({
      data: {
        conversationId: conversation.id,
        role: message.role ?? (index % 2 === 0 ? "CONTACT" : "BOT"),
        text: message.text ?? `Message ${index + 1}`,
      },
    });
    messageIds.push(row.id);
    for (const file of message.files ?? []) {
      const storageKey = `${conversation.id}/${randomUUID()}`;
      const bytes = typeof file.bytes === "string" ? Buffer.from(file.bytes) : file.bytes;
      const { size } = await getFileStorage().write(storageKey, bytes);
      const attachment = await prisma.attachment.create({
        data: {
          messageId: row.id,
          conversationId: conversation.id,
          fileName: file.fileName,
          contentType: file.contentType ?? "application/octet-stream",
          size,
          storageKey,
        },
      });
      attachmentIds.push(attachment.id);
    }
  }
  return { conversation, contact, messageIds, attachmentIds };
}
