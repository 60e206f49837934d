import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { operatorNameSchema } from "@/lib/takeover/operator-name";
import { parseOrThrow } from "@/lib/validation";

const operatorNameInput = z.object({ operatorName: operatorNameSchema });

/**
 * Sets the display name a member operates under (shown to contacts, other operators and History
 * instead of their account name). A member changes only their own; nobody else has one.
 */
export async function updateOperatorName(actor: Actor, input: z.input<typeof operatorNameInput>): Promise<{ operatorName: string }> {
  const { operatorName } = parseOrThrow(operatorNameInput, input);
  if (actor.kind !== "user") throw new AppError("unauthorized", "Sign in to set your operator name.");
  await prisma.user.update({ where: { id: actor.userId }, data: { operatorName } });
  return { operatorName };
}
