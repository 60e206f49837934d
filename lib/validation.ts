import { z } from "zod";
import { AppError } from "@/lib/errors";

/** Parses or throws a 400 AppError carrying the first message per field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw validationError(result.error);
}

export function validationError(error: z.ZodError): AppError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.filter((part) => typeof part !== "number").join(".") || "_";
    (fieldErrors[field] ??= []).push(issue.message);
  }
  const first = error.issues[0];
  const where = first?.path.length ? `${first.path.join(".")}: ` : "";
  return new AppError("bad_request", `${where}${first?.message ?? "Invalid input."}`, fieldErrors);
}
