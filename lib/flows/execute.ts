import "server-only";
import type { FlowActor } from "@/lib/auth/actor";
import type { MessageView } from "@/lib/conversations/message-view";
import { createConversationUrl, SHARE_URL_VARIABLE } from "@/lib/flows/conversation-url";
import { matchCaptures, matchRule, readStoredFlow, renderTemplate } from "@/lib/flows/run";
import type { Rule } from "@/lib/flows/schemas";
import { recordFlowProblem } from "@/lib/flows/problems";
import { readVariables, setConversationVariables, type FlowVariables } from "@/lib/flows/variables";
import type { Prisma } from "@/lib/generated/prisma/client";
import { appendMessage } from "@/lib/messages/append";
import { requestHumanUnchecked } from "@/lib/inbox/needs-human";
import { giveBackTransfers, startTransfer } from "@/lib/transfers/mutations";

/**
 * Answers a contact's message with the conversation's bot flow, inside the caller's transaction
 * (which has stored the message and holds the conversation's lock). Only while the bot is in
 * control; the first matching rule runs (runRule). Returns every message written, in order.
 */
export async function answerWithFlow(
  tx: Prisma.TransactionClient,
  { conversationId, text, contactName }: { conversationId: string; text: string; contactName: string },
): Promise<MessageView[]> {
  const conversation = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { controller: true, bot: { select: { flow: true } } },
  });
  if (conversation.controller !== "BOT") return [];
  const rule = matchRule(readStoredFlow(conversation.bot.flow), text);
  if (!rule) return [];
  return runRule(tx, { conversationId, rule, inputs: { contact_name: contactName, message: text, ...matchCaptures(rule.match, text) } });
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
  { conversationId, rule, inputs }: { conversationId: string; rule: Rule; inputs: RuleInputs },
): Promise<MessageView[]> {
  const contactName = inputs.contact_name;
  const conversation = await tx.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    select: { variables: true, bot: { select: { id: true, name: true, organizationId: true } } },
  });
  // The flow acts as its bot, on this one conversation: no member stands in for it.
  const flow: FlowActor = {
    kind: "flow",
    botId: conversation.bot.id,
    botName: conversation.bot.name,
    organizationId: conversation.bot.organizationId,
    conversationId,
  };
  let variables: FlowVariables = { ...readVariables(conversation.variables), ...inputs };
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
          return messages;
        }
        variables = { ...variables, [SHARE_URL_VARIABLE]: result.url };
        break;
      }
      case "transfer_control": {
        const result = await startTransfer(tx, flow, { action, contactName });
        messages.push(...result.messages);
        if (result.status !== "transferred") break;
        if (action.entryRule) messages.push(...(await enterTargetRule(tx, result.targetConversationId, action.entryRule, contactName)));
        return messages;
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
        if (written) return [...messages, ...written];
        break;
      }
    }
  }
  return messages;
}

/** The target bot's entry rule runs on the conversation a transfer has just brought to it. */
async function enterTargetRule(
  tx: Prisma.TransactionClient,
  conversationId: string,
  ruleName: string,
  contactName: string,
): Promise<MessageView[]> {
  const target = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { bot: { select: { flow: true } } } });
  const rule = readStoredFlow(target.bot.flow).rules.find((candidate) => candidate.name === ruleName);
  if (rule) return runRule(tx, { conversationId, rule, inputs: { contact_name: contactName } });
  await recordFlowProblem(tx, conversationId, `Entry rule "${ruleName}" not found on this bot.`);
  return [];
}
