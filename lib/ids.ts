import { z } from "zod";

/** Every id the app mints (cuid, UUID, share and contact ids) fits this; anything else is malformed. */
export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Malformed id.");
