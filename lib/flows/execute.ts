import "server-only";
import type { FlowActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import type { MessageView } from "@/lib/conversations/message-view";
import { createConversationUrl, SHARE_URL_VARIABLE } from "@/lib/flows/conversation-url";
import { matchCaptures, matchRule, readStoredFlow, renderTemplate } from "@/lib/flows/run";
import type { Rule } from "@/lib/flows/schemas";
import { recordFlowProblem } from "@/lib/flows/problems";
import { readVariables, setConversationVariables, type FlowVariables } from "@/lib/flows/variables";
import { Prisma, type Controller } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";
import { requestHumanUnchecked } from "@/lib/inbox/needs-human";
import { giveBackTransfers, startTransfer } from "@/lib/transfers/mutations";

/** What a flow reads of its conversation: who controls it, its variables, and its bot. */
export type FlowConversation = {
  id: string;
  controller: Controller;
  variables: FlowVariables;
  bot: { id: string; name: string; organizationId: string; flow: unknown };
};

/**
 * The columns of a FlowConversation, for a statement that reads it along with something else
 * (`FROM "Conversation" c JOIN "Bot" b ON b."id" = c."botId"`); toFlowConversation reads the row.
 */
export const FLOW_CONVERSATION_COLUMNS = Prisma.sql`c."id", c."controller"::text AS "controller", c."variables",
  b."id" AS "botId", b."name" AS "botName", b."organizationId" AS "botOrganizationId", b."flow" AS "botFlow"`;

export type FlowConversationRow = {
  id: string;
  controller: Controller;
  variables: unknown;
  botId: string;
  botName: string;
  botOrganizationId: string;
  botFlow: unknown;
};

export function toFlowConversation(row: FlowConversationRow): FlowConversation {
  return {
    id: row.id,
    controller: row.controller,
    variables: readVariables(row.variables),
    bot: { id: row.botId, name: row.botName, organizationId: row.botOrganizationId, flow: row.botFlow },
  };
}

/** The conversation as its flow sees it, in one statement (a nested select would take two). */
export async function readFlowConversation(tx: Prisma.TransactionClient, conversationId: string): Promise<FlowConversation> {
  const [row] = await tx.$queryRaw<FlowConversationRow[]>`
    SELECT ${FLOW_CONVERSATION_COLUMNS}
    FROM "Conversation" c
    JOIN "Bot" b ON b."id" = c."botId"
    WHERE c."id" = ${conversationId}`;
  if (!row) throw new AppError("not_found", "Conversation not found.");
  return toFlowConversation(row);
}

/** What a flow wrote, in order, and whether it started or ended a transfer (the contact moved). */
export type FlowRun = { messages: MessageView[]; transferChanged: boolean };

const NOTHING: FlowRun = { messages: [], transferChanged: false };

/**
 * Answers a contact's message with the conversation's bot flow, inside the caller's transaction
 * (which has stored the message and holds the conversation's lock, under which it read
 * `conversation`). Only while the bot is in control; the first matching rule runs (runRule).
 */
export async function answerWithFlow(
  tx: Prisma.TransactionClient,
  { conversation, text, contactName }: { conversation: FlowConversation; text: string; contactName: string },
): Promise<FlowRun> {
  if (conversation.controller !== "BOT") return NOTHING;
  const rule = matchRule(readStoredFlow(conversation.bot.flow), text);
  if (!rule) return NOTHING;
  return runRule(tx, { conversation, rule, inputs: { contact_name: contactName, message: text, ...matchCaptures(rule.match, text) } });
}

/**
 * What a rule's templates may use besides the conversation's variables, for this run only (never
 * stored): `contact_name`, the contact's `message` and a regex rule's `match_1`, `match_2`, ….
 */
export type RuleInputs = FlowVariables & { contact_name: string };

/**
 * Runs a rule's actions in order on the conversation, each seeing the variables the ones before
 * it set (a send_text after create_conversation_url can say `{{conversation_share_url}}`). Once a
 * transfer_control or give_back has handed control over, the rule's remaining actions are not
 * run: the bot no longer holds the conversation. Returns every message written, in order, on
 * either conversation of a transfer.
 */
export async function runRule(
  tx: Prisma.TransactionClient,
  { conversation, rule, inputs }: { conversation: FlowConversation; rule: Rule; inputs: RuleInputs },
): Promise<FlowRun> {
  const conversationId = conversation.id;
  const contactName = inputs.contact_name;
  // The flow acts as its bot, on this one conversation: no member stands in for it.
  const flow: FlowActor = {
    kind: "flow",
    botId: conversation.bot.id,
    botName: conversation.bot.name,
    organizationId: conversation.bot.organizationId,
    conversationId,
  };
  let variables: FlowVariables = { ...conversation.variables, ...inputs };
  const messages: MessageView[] = [];

  for (const action of rule.actions) {
    switch (action.type) {
      case "send_text": {
        const reply = renderTemplate(action.text, variables).trim();
        if (reply) messages.push(await appendMessage(tx, { conversationId, role: "BOT", text: reply, authorName: conversation.bot.name }));
        break;
      }
      case "set_variable": {
        const value = renderTemplate(action.value, variables).trim();
        await setConversationVariables(tx, conversationId, { [action.name]: value });
        variables = { ...variables, [action.name]: value };
        break;
      }
      case "create_conversation_url": {
        const result = await createConversationUrl(tx, flow, { action, variables });
        if ("problem" in result) {
          // The rule's next actions would send a link that does not exist: the rule stops here.
          await recordFlowProblem(tx, conversationId, result.problem);
          return { messages, transferChanged: false };
        }
        variables = { ...variables, [SHARE_URL_VARIABLE]: result.url };
        break;
      }
      case "transfer_control": {
        const result = await startTransfer(tx, flow, { action, contactName });
        messages.push(...result.messages);
        if (result.status !== "transferred") break;
        if (action.entryRule) messages.push(...(await enterTargetRule(tx, result.targetConversationId, action.entryRule, contactName)));
        return { messages, transferChanged: true };
      }
      case "request_human": {
        if (action.createLink) {
          const result = await createConversationUrl(tx, flow, { action: { type: "create_conversation_url", ...action.createLink }, variables });
          // The contact still needs a person without the link: note the problem and ask anyway.
          if ("problem" in result) await recordFlowProblem(tx, conversationId, result.problem);
          else variables = { ...variables, [SHARE_URL_VARIABLE]: result.url };
        }
        const note = action.note === undefined ? null : renderTemplate(action.note, variables);
        await requestHumanUnchecked(tx, conversationId, { note, requestedBy: { type: "bot", name: flow.botName } });
        break;
      }
      case "give_back": {
        const written = await giveBackTransfers(tx, flow);
        if (written) return { messages: [...messages, ...written], transferChanged: true };
        break;
      }
    }
  }
  return { messages, transferChanged: false };
}

/** The target bot's entry rule runs on the conversation a transfer has just brought to it. */
async function enterTargetRule(
  tx: Prisma.TransactionClient,
  conversationId: string,
  ruleName: string,
  contactName: string,
): Promise<MessageView[]> {
  const target = await readFlowConversation(tx, conversationId);
  const rule = readStoredFlow(target.bot.flow).rules.find((candidate) => candidate.name === ruleName);
  if (rule) return (await runRule(tx, { conversation: target, rule, inputs: { contact_name: contactName } })).messages;
  await recordFlowProblem(tx, conversationId, `Entry rule "${ruleName}" not found on this bot.`);
  return [];
}
