import "server-only";
import type { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { auditActorOf, recordAuditEvent } from "@/lib/audit/record";
import { assertCanEditBot, botScope } from "@/lib/bots/policy";
import { updateBotFlowSchema, type UpdateBotFlowInput } from "@/lib/bots/schemas";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { flowSchema, type Flow } from "@/lib/flows/schemas";
import type { Prisma } from "@/lib/generated/prisma/client";
import { parseOrThrow } from "@/lib/validation";

/** 1-based line and column of a character offset. */
function lineAndColumn(text: string, offset: number) {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Whether the text is valid JSON or a valid start of JSON cut short. */
function isJsonPrefix(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return false;
    if (/Unexpected end of JSON input/.test(error.message)) return true;
    // "Expected ':' after property name in JSON at position <end>": it only ran out of text.
    const position = /at position (\d+)/.exec(error.message);
    return position !== null && Number(position[1]) >= text.length;
  }
}

/**
 * Where JSON.parse gave up. V8 names the position for most errors but not for an unexpected
 * token; then the longest prefix that is still a valid start of JSON ends just before it.
 */
function jsonErrorOffset(text: string, message: string): number {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (isJsonPrefix(text.slice(0, middle))) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Parses JSON text, or throws a 400 that says where and why it is not JSON. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === "") throw new AppError("bad_request", "The flow is empty. Enter a JSON object such as {\"rules\": []}.", { flowJson: ["The flow is empty."] });
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : "";
    const { line, column } = lineAndColumn(text, jsonErrorOffset(text, message));
    const reason = message
      .replace(/, ".*" is not valid JSON$/s, "")
      .replace(/ in JSON at position \d+.*$/s, "")
      .replace(/^Unexpected end of JSON input$/, "The JSON ends too early (a bracket or quote is not closed)");
    const problem = `Invalid JSON at line ${line}, column ${column}: ${reason}.`;
    throw new AppError("bad_request", problem, { flowJson: [problem] });
  }
}

/** "rules[2].match.pattern": where in the flow document a problem is, as an owner reads it. */
function flowPath(path: PropertyKey[]): string {
  return path.reduce<string>(
    (joined, part) => (typeof part === "number" ? `${joined}[${part}]` : joined ? `${joined}.${String(part)}` : String(part)),
    "",
  );
}

function flowError(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) (fieldErrors[flowPath(issue.path) || "flow"] ??= []).push(issue.message);
  const count = error.issues.length;
  return new AppError("bad_request", `The flow has ${count} problem${count === 1 ? "" : "s"}.`, fieldErrors);
}

/** Checks a flow document: JSON first, then the flow's rules. */
export function parseFlowJson(text: string): Flow {
  const parsed = flowSchema.safeParse(parseJsonText(text));
  if (!parsed.success) throw flowError(parsed.error);
  return parsed.data;
}

/**
 * Problems with the flow's transfer targets: each transfer_control must name another bot of the
 * same organization. The schema cannot know the bots, and without this check a typo or another
 * organization's bot id was saved silently and only showed up in conversations as "Transfer
 * skipped: the bot to transfer to was not found."
 */
async function transferTargetErrors(flow: Flow, bot: { id: string; organizationId: string }): Promise<Record<string, string[]>> {
  const transfers = flow.rules.flatMap((rule, ruleIndex) =>
    rule.actions.flatMap((action, actionIndex) =>
      action.type === "transfer_control" ? [{ path: `rules[${ruleIndex}].actions[${actionIndex}].targetBotId`, targetBotId: action.targetBotId }] : [],
    ),
  );
  if (transfers.length === 0) return {};
  const bots = await prisma.bot.findMany({
    where: { organizationId: bot.organizationId, id: { not: bot.id } },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const known = new Set(bots.map((candidate) => candidate.id));
  const choices = bots.length > 0 ? ` Bots you can transfer to: ${bots.map((candidate) => `${candidate.name} ("${candidate.id}")`).join(", ")}.` : "";
  const errors: Record<string, string[]> = {};
  for (const { path, targetBotId } of transfers) {
    if (targetBotId === bot.id) errors[path] = ["A bot cannot transfer to itself." + choices];
    else if (!known.has(targetBotId)) errors[path] = [`No other bot of this organization has the id "${targetBotId}".${choices}`];
  }
  return errors;
}

/** Replaces a bot's flow. Only owners and admins of the bot's organization may. */
export async function updateBotFlow(actor: Actor, input: UpdateBotFlowInput): Promise<{ botId: string; ruleCount: number }> {
  const { botId, flowJson } = parseOrThrow(updateBotFlowSchema, input);
  const bot = await prisma.bot.findFirst({ where: { AND: [{ id: botId }, botScope(actor)] }, select: { id: true, organizationId: true } });
  if (!bot) throw new AppError("not_found", "Bot not found.");
  assertCanEditBot(actor, bot.organizationId);
  const flow = parseFlowJson(flowJson);
  const targetErrors = await transferTargetErrors(flow, bot);
  const count = Object.keys(targetErrors).length;
  if (count > 0) throw new AppError("bad_request", `The flow has ${count} problem${count === 1 ? "" : "s"}.`, targetErrors);
  await prisma.$transaction(async (tx) => {
    await tx.bot.update({ where: { id: bot.id }, data: { flow: flow as Prisma.InputJsonValue } });
    await recordAuditEvent(tx, {
      organizationId: bot.organizationId,
      actor: auditActorOf(actor),
      action: "bot.flow_updated",
      data: { botId: bot.id, ruleCount: flow.rules.length },
    });
  });
  return { botId: bot.id, ruleCount: flow.rules.length };
}
