import "server-only";
import type { NextAuthOptions, Session } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { verifyPassword } from "@/lib/auth/passwords";
import { isUserSessionActive, revokeUserSession, startUserSession } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { assertSignInAllowed, clientIp, recordFailedSignIn, recordSuccessfulSignIn } from "@/lib/rate-limit";

const credentialsSchema = z.object({
  email: z.email().max(320).transform((email) => email.toLowerCase()),
  password: z.string().min(1).max(1000),
});

// A hash of a random password, checked when the email is unknown so that a wrong email takes as
// long as a wrong password.
const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$JHOTM1buC1iZBMdxH2dtrw$d6QssLHLaw4LDC8LQpcTLr7aZoDwMsTEkdBQEeYz+R0";

/** What a successful sign-in hands to the jwt callback: the user and the session just opened. */
export type SignedInUser = { id: string; name: string; email: string; sessionId: string };

type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * The credentials check behind the sign-in form: rate limits (per account and per address) →
 * password → a new server-side session. Null for wrong credentials; throws a rate_limited
 * AppError when refused, whose message the form shows.
 */
export async function authorizeCredentials(credentials: unknown, headers: RequestHeaders = {}): Promise<SignedInUser | null> {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const ip = clientIp(headers);
  await assertSignInAllowed({ email, ip });
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, passwordHash: true },
  });
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !valid) {
    await recordFailedSignIn({ email, ip });
    return null;
  }
  await recordSuccessfulSignIn({ email });
  const userAgent = headers["user-agent"];
  const sessionId = await startUserSession(user.id, Array.isArray(userAgent) ? userAgent[0] : userAgent);
  return { id: user.id, name: user.name, email: user.email, sessionId };
}

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        try {
          return await authorizeCredentials(credentials, (request?.headers ?? {}) as RequestHeaders);
        } catch (error) {
          // next-auth hands a thrown error's message to the form (as `error`); only ours is safe to show.
          if (error instanceof AppError && error.code === "rate_limited") throw new Error(error.message);
          throw error;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sid = (user as SignedInUser).sessionId;
        return token;
      }
      if (token.sub && typeof token.sid === "string" && (await isUserSessionActive(token.sid, token.sub))) return token;
      // Signed out (here or everywhere), or a token from before sessions were recorded: the
      // token names no one from now on, and the cookie is rewritten empty.
      return {};
    },
    session({ session, token }) {
      // An empty session makes getServerSession answer null: the request is anonymous.
      if (!token.sub) return {} as Session;
      if (session.user) (session.user as { id?: string }).id = token.sub;
      return session;
    },
    redirect({ url, baseUrl }) {
      return `${baseUrl}${safeCallbackPath(url, [baseUrl, env.APP_URL])}`;
    },
  },
  events: {
    async signOut({ token }) {
      if (typeof token?.sid === "string") await revokeUserSession(token.sid);
    },
  },
};
