import { lockConversation } from "@/lib/conversations/lock";
import type { Prisma } from "@/lib/generated/prisma/client";

/** A conversation's variables as flows see them (`{{name}}` in texts). */
export type FlowVariables = Record<string, unknown>;

/** Stored variables as an object; anything else a row might hold counts as none. */
export function readVariables(stored: unknown): FlowVariables {
  return stored !== null && typeof stored === "object" && !Array.isArray(stored) ? { ...(stored as FlowVariables) } : {};
}

/**
 * Sets some of a conversation's variables (an `undefined` value removes the variable) and
 * returns them all. Takes the conversation's lock first, so concurrent flows never lose each
 * other's writes.
 */
export async function setConversationVariables(
  tx: Prisma.TransactionClient,
  conversationId: string,
  changes: FlowVariables,
): Promise<FlowVariables> {
  await lockConversation(tx, conversationId);
  const row = await tx.conversation.findUniqueOrThrow({ where: { id: conversationId }, select: { variables: true } });
  const variables = { ...readVariables(row.variables), ...changes };
  for (const [name, value] of Object.entries(variables)) if (value === undefined) delete variables[name];
  await tx.conversation.update({ where: { id: conversationId }, data: { variables: variables as Prisma.InputJsonObject } });
  return variables;
}

/** The named variables that are set, for copying between conversations. */
export function pickVariables(variables: FlowVariables, names: readonly string[]): FlowVariables {
  return Object.fromEntries(names.filter((name) => Object.hasOwn(variables, name)).map((name) => [name, variables[name]]));
}
