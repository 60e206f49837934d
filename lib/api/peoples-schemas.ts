import { z } from "zod";
import { MAX_VALIDITY_HOURS } from "@/lib/shares/schemas";
import { hasNoNul, noNulMessage } from "@/lib/storable-text";

/**
 * The path of `GET /api/peoples/conversation/share/{mode}/{user_id}/{duration}`, the compatible
 * endpoint (PRODUCT.md §5.1): the route parses with it and the OpenAPI document describes it.
 */
export const peoplesShareParamsSchema = z.object({
  mode: z
    .enum(["view", "takeover", "auto"], { error: "mode must be view, takeover or auto." })
    .meta({ description: "The kind of link: view, takeover or auto (see Share.mode)." }),
  user_id: z
    .string()
    .min(1, "user_id is required.")
    .max(200, "user_id must be at most 200 characters.")
    // A %00 in the path decodes to NUL, which PostgreSQL text cannot hold.
    .refine(hasNoNul, noNulMessage("user_id"))
    .meta({ description: "The contact's id on the bot's channel (e.g. a phone number)." }),
  duration: z
    .string()
    .regex(/^[0-9]{1,6}$/, "duration must be a whole number of hours.")
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, "duration must be at least 1 hour.")
        .max(MAX_VALIDITY_HOURS, `duration must be at most ${MAX_VALIDITY_HOURS} hours.`),
    )
    .meta({ description: `Validity of the link in whole hours, 1–${MAX_VALIDITY_HOURS}.` }),
});
