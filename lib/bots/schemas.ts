import { z } from "zod";
import { idSchema } from "@/lib/ids";

/** Largest flow document accepted, in characters (100 rules of 20 long replies fit easily). */
export const MAX_FLOW_JSON = 500_000;

export const updateBotFlowSchema = z.object({
  botId: idSchema,
  /** The flow as JSON text, exactly as the owner typed it. */
  flowJson: z.string().max(MAX_FLOW_JSON, `The flow must be at most ${MAX_FLOW_JSON.toLocaleString("en")} characters.`),
});

export type UpdateBotFlowInput = z.input<typeof updateBotFlowSchema>;
