import { z } from "zod";

/** An operator's display name, as the contact, other operators and History see it. */
export const operatorNameSchema = z.string().trim().min(1, "Enter your name.").max(60, "Use at most 60 characters.");
