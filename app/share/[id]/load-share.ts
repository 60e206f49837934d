import "server-only";
import { cache } from "react";
import { getActor } from "@/lib/auth/current-actor";
import { openShare } from "@/lib/shares/public";

/** The share as this request's viewer may see it, or null; cached for one render. */
export const loadShare = cache(async (publicId: string) => openShare(publicId, await getActor()));
