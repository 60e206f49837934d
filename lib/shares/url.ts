import "server-only";
import { env } from "@/lib/env";

/** The absolute link a viewer opens: `<APP_URL>/share/<publicId>`. */
export function shareUrl(publicId: string): string {
  return `${env.APP_URL}/share/${publicId}`;
}
