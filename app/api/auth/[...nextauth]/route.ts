// GET|POST /api/auth/* — next-auth's sign-in, sign-out, session and CSRF endpoints
import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { authOptions } from "@/lib/auth/options";
import { jsonErrorResponse } from "@/lib/http";
import { readBodyLimited } from "@/lib/http/read-body";

const handler = NextAuth(authOptions);

/** A sign-in form (email, password, CSRF token, callback path) fits in far less. */
const MAX_AUTH_BODY_BYTES = 16 * 1024;

type Context = { params: Promise<{ nextauth: string[] }> };

/**
 * next-auth reads the whole body of every POST before it checks anything, so a chunked upload of
 * any size to /api/auth/callback/credentials would be buffered: read it here first, as a stream cut
 * off at MAX_AUTH_BODY_BYTES (413), and hand next-auth the bytes read.
 */
async function POST(request: NextRequest, context: Context) {
  let body: Buffer;
  try {
    body = await readBodyLimited(request, MAX_AUTH_BODY_BYTES);
  } catch (error) {
    return jsonErrorResponse(error);
  }
  return handler(new NextRequest(request.url, { method: "POST", headers: request.headers, body: new Uint8Array(body) }), context);
}

export { handler as GET, POST };
