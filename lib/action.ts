import "server-only";
import type { z } from "zod";
import { type AnonymousActor, type UserActor } from "@/lib/auth/actor";
import { getActor, requireUser } from "@/lib/auth/current-actor";
import { toAppError } from "@/lib/errors";
import { parseOrThrow } from "@/lib/validation";

/** What every server action returns, ready for useActionState. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

/** FormData → plain object; a key given more than once becomes a list. */
function formDataToObject(formData: FormData): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key);
    object[key] = values.length > 1 ? values : values[0];
  }
  return object;
}

/**
 * A server action for signed-in members: parse (zod) → authenticate → run the handler, which
 * authorizes through the domain's policy functions. Failures become a safe ActionResult.
 * Callable from useActionState (previous state, FormData) or directly with a plain object.
 */
export function userAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, actor: UserActor) => Promise<T>,
) {
  return action(schema, requireUser, handler);
}

/**
 * A server action anyone may call (the share page's takeover buttons): the handler receives the
 * actor, signed in or anonymous, and authorizes through the policy functions itself.
 */
export function publicAction<S extends z.ZodType, T>(
  schema: S,
  handler: (input: z.output<S>, actor: UserActor | AnonymousActor) => Promise<T>,
) {
  return action(schema, getActor, handler);
}

function action<S extends z.ZodType, A, T>(
  schema: S,
  authenticate: () => Promise<A>,
  handler: (input: z.output<S>, actor: A) => Promise<T>,
) {
  return async (
    _previous: ActionResult<T> | null,
    payload: FormData | z.input<S>,
  ): Promise<ActionResult<T>> => {
    try {
      const raw = payload instanceof FormData ? formDataToObject(payload) : payload;
      const input = parseOrThrow(schema, raw);
      const actor = await authenticate();
      return { ok: true, data: await handler(input, actor) };
    } catch (error) {
      const appError = toAppError(error);
      return { ok: false, error: appError.message, fieldErrors: appError.fieldErrors };
    }
  };
}
