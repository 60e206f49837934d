/**
 * Demo data for a fresh database: two organizations, their owners, bots, contacts and
 * conversations with files. Runs only when the database has no organization yet.
 *   npm run db:seed
 */
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "@/lib/auth/passwords";
import { openDatabase } from "@/lib/db-client";
import type { Action, Flow, Rule } from "@/lib/flows/schemas";
import type { MessageRole, PrismaClient } from "@/lib/generated/prisma/client";
import { getFileStorage } from "@/lib/storage";

export const DEMO_PASSWORD = "switchboard-demo";

type SeedFile = { fileName: string; contentType: string; bytes: Uint8Array };
type SeedMessage = { role: MessageRole; text: string; authorName?: string; files?: SeedFile[] };
type SeedConversation = {
  bot: string;
  contact: { externalId: string; name: string };
  title: string;
  channel: string;
  messages: SeedMessage[];
};

// A 1×1 PNG.
const PNG_BYTES = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

function pdfLike(title: string): Uint8Array {
  return Buffer.concat([
    Buffer.from(`%PDF-1.4\n% ${title}\n`),
    randomBytes(2048),
    Buffer.from("\n%%EOF\n"),
  ]);
}

const text = (content: string): Uint8Array => Buffer.from(content, "utf8");

const ACME_CONVERSATIONS: SeedConversation[] = [
  {
    bot: "Acme Support Bot",
    contact: { externalId: "acme-contact-1", name: "Maria Lopez" },
    title: "Order #4821 arrived damaged",
    channel: "web",
    messages: [
      { role: "CONTACT", text: "Hi, my order #4821 arrived today and the box was crushed. The lamp inside is broken." },
      { role: "BOT", text: "I'm sorry to hear that, Maria! Could you send a photo of the damage and your receipt?" },
      {
        role: "CONTACT",
        text: "Here they are.",
        files: [
          { fileName: "damage-photo.png", contentType: "image/png", bytes: PNG_BYTES },
          { fileName: "résumé final (v2).pdf", contentType: "application/pdf", bytes: pdfLike("receipt") },
        ],
      },
      { role: "SYSTEM", text: "An operator joined the conversation" },
      {
        role: "OPERATOR",
        authorName: "Sam (Acme Support)",
        text: "Thanks Maria, I can see the damage. I've issued a **replacement** — it ships tomorrow. Details: [tracking page](https://example.com/track/4821)",
      },
      { role: "CONTACT", text: "That was fast, thank you!" },
      { role: "SYSTEM", text: "Control returned to the bot" },
      { role: "BOT", text: "Is there anything else I can help you with today?" },
    ],
  },
  {
    bot: "Acme Support Bot",
    contact: { externalId: "acme-contact-2", name: "Jonas Becker" },
    title: "Cannot reset my password",
    channel: "whatsapp",
    messages: [
      { role: "CONTACT", text: "The reset link in the email says it expired." },
      { role: "BOT", text: "Reset links are valid for 30 minutes. I've sent a new one to the address on file." },
      { role: "CONTACT", text: "Got it, but now it says `token invalid`. Logs attached.", files: [
        { fileName: "browser-log.txt", contentType: "text/plain", bytes: text("GET /reset?token=… 400\nGET /reset?token=… 400\n") },
        { fileName: "résumé final (v2).pdf", contentType: "application/pdf", bytes: pdfLike("second copy, same name") },
      ] },
      { role: "BOT", text: "Thanks. It looks like the link was opened twice. Please use the newest email only." },
      { role: "CONTACT", text: "That worked. <script>alert('hi')</script> and [a trick](javascript:alert(1)) for your bot 😉" },
      { role: "BOT", text: "Glad it worked! Have a great day." },
    ],
  },
  {
    bot: "Acme Billing Bot",
    contact: { externalId: "acme-contact-3", name: "Priya Natarajan" },
    title: "Invoice VAT number missing",
    channel: "telegram",
    messages: [
      { role: "CONTACT", text: "Our invoice for October doesn't show our VAT number." },
      { role: "BOT", text: "I can regenerate it. What VAT number should appear?" },
      { role: "CONTACT", text: "DE123456789" },
      { role: "BOT", text: "Done. Here is the corrected invoice.", files: [
        { fileName: "invoice-2026-10.pdf", contentType: "application/pdf", bytes: pdfLike("invoice") },
        { fileName: "invoice 2026/10 (copy).txt", contentType: "text/plain", bytes: text("Invoice 2026-10\nVAT: DE123456789\n") },
      ] },
    ],
  },
  {
    bot: "Acme Billing Bot",
    contact: { externalId: "acme-contact-4", name: "Tom O'Brien" },
    title: "Refund for double charge",
    channel: "api",
    messages: [
      { role: "CONTACT", text: "I was charged twice for my subscription this month." },
      { role: "BOT", text: "Let me check… I see two charges of €19.00 on 3 November." },
      { role: "SYSTEM", text: "Transferred to Acme Support Bot" },
      { role: "BOT", text: "I've refunded the duplicate charge. It takes 3–5 business days to appear." },
    ],
  },
];

const GLOBEX_CONVERSATIONS: SeedConversation[] = [
  {
    bot: "Globex Helpdesk",
    contact: { externalId: "globex-contact-1", name: "Hank Scorpio" },
    title: "VPN keeps disconnecting",
    channel: "web",
    messages: [
      { role: "CONTACT", text: "My VPN drops every 10 minutes." },
      { role: "BOT", text: "Which client version are you on? You'll find it under *Help → About*." },
      { role: "CONTACT", text: "4.2.1", files: [{ fileName: "vpn-config.txt", contentType: "text/plain", bytes: text("remote vpn.globex.test 1194\n") }] },
      { role: "BOT", text: "Please update to 4.3.0; it fixes the reconnect bug." },
    ],
  },
  {
    bot: "Globex Sales",
    contact: { externalId: "globex-contact-2", name: "Frank Grimes" },
    title: "Enterprise pricing question",
    channel: "whatsapp",
    messages: [
      { role: "CONTACT", text: "What does the enterprise plan cost for 500 seats?" },
      { role: "BOT", text: "Enterprise pricing starts at $12 per seat per month. Shall I book a call with our team?" },
      { role: "CONTACT", text: "Yes please, Thursday afternoon." },
      { role: "OPERATOR", authorName: "Lisa (Globex Sales)", text: "Booked for Thursday 3pm. Talk soon!" },
    ],
  },
];

const sendText = (text: string): Action => ({ type: "send_text", text });
const keywords = (name: string, words: string[], ...replies: string[]): Rule => ({
  name,
  match: { type: "keyword", keywords: words },
  actions: replies.map(sendText),
});
/** The contact asks for a person: the bot says so and puts the chat under "Needs a person" for the team. */
const ASK_FOR_HUMAN: Rule = {
  name: "Ask for a person",
  match: { type: "keyword", keywords: ["human", "agent", "operator", "person"] },
  actions: [sendText("I'll ask a colleague to join."), { type: "request_human", note: "{{contact_name}} asked for a person." }],
};
/** Control returns to the bot after a colleague's takeover. */
const BACK_FROM_OPERATOR: Rule = {
  name: "Back from a colleague",
  match: { type: "on_hand_back" },
  actions: [sendText("I'm back — anything else, {{contact_name}}?")],
};

/**
 * Each demo bot's flow (lib/flows/schemas.ts): rules tried in order, the first match wins. A
 * transfer names its target bot here; seedOrganization swaps the name for the bot's id once
 * every bot exists (resolveDemoFlow).
 */
export const DEMO_FLOWS: Record<string, Flow> = {
  "Acme Support Bot": {
    rules: [
      ASK_FOR_HUMAN,
      {
        name: "Billing questions go to the billing bot",
        match: { type: "keyword", keywords: ["invoice", "billing"] },
        actions: [
          sendText("Let me pass you to our billing bot."),
          {
            type: "transfer_control",
            targetBotId: "Acme Billing Bot",
            carryVariables: ["order_number"],
            entryText: "Hi {{contact_name}}, Acme Billing here. How can I help with your invoice? Write \"done\" when we're finished.",
          },
        ],
      },
      {
        name: "Order number",
        match: { type: "regex", pattern: "\\border\\s*(?:number|no\\.?)?\\s*(?:is\\s*)?[:#]?\\s*(\\d{3,})", flags: "i" },
        actions: [
          // Kept with the conversation, and carried to the billing bot on a transfer.
          { type: "set_variable", name: "order_number", value: "{{match_1}}" },
          sendText("Thanks, {{contact_name}}. I've noted order {{order_number}}; a colleague will look into it."),
        ],
      },
      keywords(
        "Damaged or late order",
        ["order", "delivery", "damaged", "broken", "package"],
        "I'm sorry about your order, {{contact_name}}.",
        "Please send your order number and, if something arrived damaged, a photo. We'll replace it or refund you.",
      ),
      keywords("Refund", ["refund", "money back", "return"], "Refunds go back to your original payment method within 5–7 business days of us receiving the item."),
      keywords(
        "Password",
        ["password", "reset", "login", "log in"],
        "To reset your password, use **Forgot password** on the sign-in page. The link in the email is valid for 30 minutes; use the newest one only.",
      ),
      keywords("Greeting", ["hello", "hi", "hey"], "Hi {{contact_name}}! I'm the Acme support bot. Ask me about orders, refunds or your password."),
      { name: "Thanks", match: { type: "regex", pattern: "^\\s*(thanks|thank you|thx)\\b", flags: "i" }, actions: [sendText("You're welcome! Anything else?")] },
      {
        name: "Everything else",
        match: { type: "fallback" },
        actions: [sendText("Thanks for your message, {{contact_name}}. I can help with orders, deliveries, refunds and passwords — or write \"agent\" to talk to a person.")],
      },
      BACK_FROM_OPERATOR,
    ],
  },
  "Acme Billing Bot": {
    rules: [
      {
        ...ASK_FOR_HUMAN,
        // A takeover link for the team (the conversation's Share button shows it): opened in a
        // browser it takes the chat over, and control returns to the bot when it expires. The
        // link is not sent to the contact, who would otherwise hold an operator's link.
        actions: [
          sendText("I'll ask a colleague to join."),
          { type: "request_human", note: "{{contact_name}} asked for a person about billing.", createLink: { validityHours: 24, autoHandBack: true, takeOverOnOpen: true } },
        ],
      },
      {
        name: "Back to support",
        match: { type: "keyword", keywords: ["done", "back"] },
        // give_back ends the rule when the conversation came from another bot; otherwise the text follows.
        actions: [{ type: "give_back" }, sendText("Glad I could help. Anything else about billing?")],
      },
      keywords(
        "Invoice",
        ["invoice", "invoices", "vat", "receipt"],
        "You can download every invoice under **Billing → Invoices**. Need a VAT number added? Reply with it and I'll regenerate the invoice.",
      ),
      {
        name: "VAT number",
        match: { type: "regex", pattern: "\\b[A-Z]{2}[0-9A-Z]{8,12}\\b" },
        actions: [sendText("Thanks, {{contact_name}}. I've noted that VAT number; the corrected invoice will arrive by email.")],
      },
      keywords("Refund", ["refund", "charged twice", "double charge"], "I'm sorry about that. Duplicate charges are refunded automatically within 3–5 business days."),
      keywords("Greeting", ["hello", "hi", "hey"], "Hello {{contact_name}}! I handle invoices, VAT and refunds."),
      { name: "Everything else", match: { type: "fallback" }, actions: [sendText("I can help with invoices, VAT numbers and refunds. Write \"agent\" to reach a person.")] },
    ],
  },
  "Globex Helpdesk": {
    rules: [
      ASK_FOR_HUMAN,
      keywords("VPN", ["vpn", "disconnect", "disconnecting"], "Please update the VPN client to 4.3.0 (Help → About shows your version); it fixes the reconnect bug."),
      keywords("Password", ["password", "reset", "locked"], "Reset your password at https://id.globex.test/reset — it unlocks your account too."),
      keywords("Greeting", ["hello", "hi", "hey"], "Hi {{contact_name}}, Globex Helpdesk here. What's not working?"),
      { name: "Everything else", match: { type: "fallback" }, actions: [sendText("Thanks, {{contact_name}}. I've logged your request; write \"agent\" if it's urgent.")] },
    ],
  },
  "Globex Sales": {
    rules: [
      ASK_FOR_HUMAN,
      keywords("Pricing", ["price", "pricing", "cost", "quote", "plan"], "Enterprise pricing starts at $12 per seat per month. Shall I book a call with our team?"),
      { name: "Book a call", match: { type: "regex", pattern: "\\b(yes|book|call|demo)\\b", flags: "i" }, actions: [sendText("Great! I'll ask a colleague to propose a time, {{contact_name}}.")] },
      keywords("Greeting", ["hello", "hi", "hey"], "Hello {{contact_name}}! Interested in Globex for your team?"),
      { name: "Everything else", match: { type: "fallback" }, actions: [sendText("Thanks! Ask me about pricing, or write \"agent\" to talk to sales.")] },
    ],
  },
};

/** The flow with each transfer's target bot name replaced by that bot's id. */
export function resolveDemoFlow(flow: Flow, botIds: ReadonlyMap<string, string>): Flow {
  return {
    rules: flow.rules.map((rule) => ({
      ...rule,
      actions: rule.actions.map((action) =>
        action.type === "transfer_control" ? { ...action, targetBotId: botIds.get(action.targetBotId) ?? action.targetBotId } : action,
      ),
    })),
  };
}

async function seedOrganization(
  prisma: PrismaClient,
  spec: { name: string; slug: string; owner: { email: string; name: string }; bots: string[]; conversations: SeedConversation[] },
  passwordHash: string,
) {
  const organization = await prisma.organization.create({ data: { name: spec.name, slug: spec.slug } });
  await prisma.user.create({
    data: {
      email: spec.owner.email,
      name: spec.owner.name,
      // The demo owners have chosen their operator name already (members are asked on their first take over).
      operatorName: spec.owner.name,
      passwordHash,
      memberships: { create: { organizationId: organization.id, role: "OWNER" } },
    },
  });
  const bots = new Map<string, string>();
  for (const name of spec.bots) {
    const bot = await prisma.bot.create({
      data: { organizationId: organization.id, name, description: `${name} for ${spec.name}` },
    });
    bots.set(name, bot.id);
  }
  // Flows last: a transfer refers to its target bot by id.
  for (const [name, id] of bots) {
    await prisma.bot.update({ where: { id }, data: { flow: resolveDemoFlow(DEMO_FLOWS[name] ?? { rules: [] }, bots) } });
  }
  const start = Date.now() - spec.conversations.length * 6 * 3600_000;
  for (const [index, conversation] of spec.conversations.entries()) {
    await seedConversation(prisma, bots.get(conversation.bot)!, conversation, new Date(start + index * 6 * 3600_000));
  }
  return { organization, bots };
}

async function seedConversation(prisma: PrismaClient, botId: string, spec: SeedConversation, startedAt: Date) {
  const kind = spec.channel === "web" ? "WEB" : "CHANNEL";
  const contact = await prisma.contact.upsert({
    where: { botId_kind_externalId: { botId, kind, externalId: spec.contact.externalId } },
    create: { botId, kind, externalId: spec.contact.externalId, name: spec.contact.name },
    update: {},
  });
  const lastAt = new Date(startedAt.getTime() + spec.messages.length * 60_000);
  const conversation = await prisma.conversation.create({
    data: {
      botId,
      contactId: contact.id,
      title: spec.title,
      channel: spec.channel,
      messageCount: spec.messages.length,
      createdAt: startedAt,
      lastMessageAt: lastAt,
    },
  });
  const storage = getFileStorage();
  for (const [index, message] of spec.messages.entries()) {
    const createdAt = new Date(startedAt.getTime() + index * 60_000);
    const row = await prisma.message.create({
      data: { conversationId: conversation.id, role: message.role, text: message.text, authorName: message.authorName, createdAt },
    });
    for (const file of message.files ?? []) {
      const storageKey = `${conversation.id}/${randomUUID()}`;
      const { size } = await storage.write(storageKey, file.bytes);
      await prisma.attachment.create({
        data: {
          messageId: row.id,
          conversationId: conversation.id,
          fileName: file.fileName,
          contentType: file.contentType,
          size,
          storageKey,
          createdAt,
        },
      });
    }
  }
  return conversation;
}

/** A 10,000-message conversation, to show that readers page through long histories. */
async function seedLongConversation(prisma: PrismaClient, botId: string) {
  const count = 10_000;
  const startedAt = new Date(Date.now() - 30 * 24 * 3600_000);
  const contact = await prisma.contact.create({ data: { botId, externalId: "acme-contact-5", name: "Long-running Integration" } });
  const conversation = await prisma.conversation.create({
    data: {
      botId,
      contactId: contact.id,
      title: "Nightly sync monitor (10,000 messages)",
      channel: "api",
      messageCount: count,
      createdAt: startedAt,
      lastMessageAt: new Date(startedAt.getTime() + count * 60_000),
    },
  });
  const batch = 2_000;
  for (let offset = 0; offset < count; offset += batch) {
    await prisma.message.createMany({
      data: Array.from({ length: Math.min(batch, count - offset) }, (_, i) => {
        const n = offset + i + 1;
        return {
          conversationId: conversation.id,
          role: n % 2 === 1 ? ("CONTACT" as const) : ("BOT" as const),
          text: n % 2 === 1 ? `Sync report #${Math.ceil(n / 2)}: 0 errors` : `Noted report #${n / 2}. All systems normal.`,
          createdAt: new Date(startedAt.getTime() + n * 60_000),
        };
      }),
    });
  }
  const first = await prisma.message.findFirstOrThrow({ where: { conversationId: conversation.id }, orderBy: { seq: "asc" } });
  const storageKey = `${conversation.id}/${randomUUID()}`;
  const { size } = await getFileStorage().write(storageKey, text("date,errors\n2026-10-01,0\n"));
  await prisma.attachment.create({
    data: { messageId: first.id, conversationId: conversation.id, fileName: "sync-report.csv", contentType: "text/csv", size, storageKey },
  });
}

export async function seedDemoData(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.organization.count()) > 0) return false;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const acme = await seedOrganization(
    prisma,
    {
      name: "Acme Support",
      slug: "acme",
      owner: { email: "owner@acme.test", name: "Alex Owner" },
      bots: ["Acme Support Bot", "Acme Billing Bot"],
      conversations: ACME_CONVERSATIONS,
    },
    passwordHash,
  );
  await seedOrganization(
    prisma,
    {
      name: "Globex",
      slug: "globex",
      owner: { email: "owner@globex.test", name: "Gina Globex" },
      bots: ["Globex Helpdesk", "Globex Sales"],
      conversations: GLOBEX_CONVERSATIONS,
    },
    passwordHash,
  );
  await seedLongConversation(prisma, acme.bots.get("Acme Support Bot")!);
  return true;
}

async function main() {
  const database = openDatabase();
  try {
    const seeded = await seedDemoData(database.prisma);
    console.log(seeded ? "Seeded demo data (sign in as owner@acme.test / switchboard-demo)." : "Database has data; seed skipped.");
  } finally {
    await database.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await main();
}
