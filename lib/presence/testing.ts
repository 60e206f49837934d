/**
 * Helpers for the presence tests: a web-chat contact and a takeover operator the route handlers
 * recognise by their cookies (the test's cookie jar plays the browser), and a reader of an SSE
 * response's raw text.
 */
import { ANONYMOUS } from "@/lib/auth/actor";
import { contactCookieName, signContactCookie } from "@/lib/chat/contact-cookie";
import { postContactMessage } from "@/lib/chat/mutations";
import { prisma } from "@/lib/db";
import { createShare } from "@/lib/shares/mutations";
import { takeOverConversation } from "@/lib/takeover/mutations";
import { shareLinkActor } from "@/lib/testing/actors";
import { createOrganization } from "@/lib/testing/fixtures";

/** A web contact who wrote once (their cookie goes into `jar`), and their conversation. */
export async function webContact(jar: Map<string, string>, botId: string) {
  const sent = await postContactMessage(ANONYMOUS, { botId, text: "Hello" });
  const cookie = signContactCookie(botId, sent.contactExternalId);
  jar.set(contactCookieName(botId), cookie);
  const contact = await prisma.contact.findFirstOrThrow({ where: { botId, externalId: sent.contactExternalId }, select: { id: true } });
  return { conversationId: sent.conversationId, cookie, actor: { kind: "contact" as const, contactId: contact.id, botId } };
}

/**
 * An organization whose web contact talks to its bot, a view-only link and a takeover link of
 * that conversation, and an operator ("Dana") holding it through the takeover link; both
 * cookies are in `jar`.
 */
export async function heldWebChat(jar: Map<string, string>) {
  const org = await createOrganization();
  const contact = await webContact(jar, org.bot.id);
  const { conversationId } = contact;
  const { share: viewShare } = await createShare(org.owner.actor, { conversationId, settings: {} });
  const { share: takeoverShare } = await createShare(org.owner.actor, { conversationId, settings: { mode: "TAKEOVER" } });
  const held = await takeOverConversation(await shareLinkActor(takeoverShare), { conversationId, operatorName: "Dana" });
  jar.set(`sb_takeover_${conversationId}`, held.secret);
  return { org, contact, conversationId, viewShare, takeoverShare, secret: held.secret };
}

/** Reads an SSE response's text until `done(text)` holds; rejects with what came after `timeoutMs`. */
export function readStreamUntil(response: Response, done: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void reader.cancel().catch(() => {});
      reject(new Error(`Stream did not deliver in ${timeoutMs} ms; it sent: ${JSON.stringify(text)}`));
    }, timeoutMs);
    void (async () => {
      for (;;) {
        const { value, done: ended } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
        if (value) text += decoder.decode(value, { stream: true });
        if (done(text) || ended) {
          clearTimeout(timer);
          void reader.cancel().catch(() => {});
          return done(text) ? resolve(text) : reject(new Error(`Stream ended; it sent: ${JSON.stringify(text)}`));
        }
      }
    })();
  });
}

/**
 * Sends `report` (a typing POST) until `delivered` settles, as a browser re-reports while someone
 * keeps typing: a signal is never replayed, so one sent before the receiving stream has started
 * listening (its LISTEN on PostgreSQL is asynchronous) is rightly lost. Returns the first answer.
 */
export async function reportUntilDelivered(report: () => Promise<Response>, delivered: Promise<unknown>, everyMs = 250): Promise<Response> {
  let settled = false;
  delivered.then(
    () => (settled = true),
    () => (settled = true),
  );
  const first = await report();
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    if (!settled) await report();
  }
  return first;
}
