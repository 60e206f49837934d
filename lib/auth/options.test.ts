import { randomBytes } from "node:crypto";
import type { JWT } from "next-auth/jwt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { authOptions, authorizeCredentials } from "@/lib/auth/options";
import { hashPassword } from "@/lib/auth/passwords";
import { revokeAllUserSessions } from "@/lib/auth/sessions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { expectAppError } from "@/lib/testing/assertions";
import { createOrganization } from "@/lib/testing/fixtures";

const PASSWORD = "correct horse battery staple";
const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0]).join(".")}`;
const fromIp = (ip: string) => ({ "x-forwarded-for": ip, "user-agent": "vitest" });

async function memberWithPassword() {
  const { owner } = await createOrganization();
  await prisma.user.update({ where: { id: owner.userId }, data: { passwordHash: await hashPassword(PASSWORD) } });
  return owner;
}

const saved = { ...process.env };
beforeEach(() => {
  // Long enough for 200 attempts on a busy machine: a window that ended mid-loop would reset the count.
  process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = "5/10s";
  process.env.RATE_LIMIT_SIGN_IN_IP = "off";
});
afterEach(() => {
  process.env = { ...saved };
});

/** Signs in like the form does and runs the jwt callback on the new user: the cookie's token. */
async function signInToken(email: string): Promise<JWT> {
  const user = await authorizeCredentials({ email, password: PASSWORD }, fromIp(randomIp()));
  expect(user).not.toBeNull();
  return authOptions.callbacks!.jwt!({ token: { name: user!.name, email }, user: user!, account: null });
}

/** What getServerSession would make of a later request carrying that cookie: the user id, or none. */
async function userIdOfCookie(token: JWT): Promise<string | undefined> {
  const next = await authOptions.callbacks!.jwt!({ token: { ...token }, user: undefined as never, account: null });
  const session = await authOptions.callbacks!.session!({
    session: { user: { name: token.name, email: token.email }, expires: new Date(Date.now() + 60_000).toISOString() },
    token: next,
  } as never);
  return (session as { user?: { id?: string } }).user?.id;
}

describe("sign-in rate limits", () => {
  it("refuses 200 wrong passwords well before the end, then the right one too until the window passes", async () => {
    const member = await memberWithPassword();
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 200; attempt += 1) {
      // A different address each time: the account's own limit must hold against a botnet.
      const result = await authorizeCredentials({ email: member.email, password: `guess-${attempt}` }, fromIp(randomIp())).then(
        (user) => (user ? "signed-in" : "wrong"),
        (error: unknown) => (error instanceof AppError ? error.code : "other"),
      );
      outcomes.push(result);
    }
    expect(outcomes.slice(0, 5)).toEqual(Array(5).fill("wrong"));
    expect(outcomes.slice(5)).toEqual(Array(195).fill("rate_limited"));

    const refused = await expectAppError(authorizeCredentials({ email: member.email, password: PASSWORD }, fromIp(randomIp())), "rate_limited");
    expect(refused.message).toBe(`Too many attempts, try again in ${refused.retryAfterSeconds} s.`);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(10);

    // Still refused just before the window ends, signed in just after.
    await new Promise((resolve) => setTimeout(resolve, (refused.retryAfterSeconds! - 1) * 1000 - 500));
    await expectAppError(authorizeCredentials({ email: member.email, password: PASSWORD }, fromIp(randomIp())), "rate_limited");
    await new Promise((resolve) => setTimeout(resolve, 1900));
    const user = await authorizeCredentials({ email: member.email.toUpperCase(), password: PASSWORD }, fromIp(randomIp()));
    expect(user?.id).toBe(member.userId);
  });

  it("counts one address's failures across accounts, and only that address's", async () => {
    process.env.RATE_LIMIT_SIGN_IN_ACCOUNT = "off";
    process.env.RATE_LIMIT_SIGN_IN_IP = "3/1m";
    const member = await memberWithPassword();
    const attacker = randomIp();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await authorizeCredentials({ email: `nobody-${attempt}@example.test`, password: "x" }, fromIp(attacker))).toBeNull();
    }
    await expectAppError(authorizeCredentials({ email: member.email, password: PASSWORD }, fromIp(attacker)), "rate_limited");
    expect((await authorizeCredentials({ email: member.email, password: PASSWORD }, fromIp(randomIp())))?.id).toBe(member.userId);
  });

  it("forgets an account's failures once its owner signs in", async () => {
    const member = await memberWithPassword();
    const ip = randomIp();
    for (let round = 0; round < 2; round += 1) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        expect(await authorizeCredentials({ email: member.email, password: "wrong" }, fromIp(ip))).toBeNull();
      }
      expect((await authorizeCredentials({ email: member.email, password: PASSWORD }, fromIp(ip)))?.id).toBe(member.userId);
    }
  });

  it("tells the form through next-auth, which passes on a thrown message", async () => {
    const member = await memberWithPassword();
    const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: unknown, r: unknown) => Promise<unknown> } };
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await provider.options.authorize({ email: member.email, password: "wrong" }, { headers: fromIp(randomIp()) });
    }
    const thrown = await provider.options.authorize({ email: member.email, password: PASSWORD }, { headers: fromIp(randomIp()) }).catch((error: Error) => error);
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/^Too many attempts, try again in \d+ s\.$/);
  });
});

describe("server-side sessions", () => {
  it("a copied cookie stops working once its session signs out, and the other sessions keep working", async () => {
    const member = await memberWithPassword();
    const laptop = await signInToken(member.email);
    const phone = await signInToken(member.email);
    expect(await userIdOfCookie(laptop)).toBe(member.userId);
    expect(await prisma.userSession.count({ where: { userId: member.userId, revokedAt: null, userAgent: "vitest" } })).toBe(2);

    await authOptions.events!.signOut!({ token: laptop, session: undefined as never });

    expect(await userIdOfCookie(laptop)).toBeUndefined();
    expect(await userIdOfCookie(phone)).toBe(member.userId);
  });

  it("sign out everywhere ends every session of that user only", async () => {
    const member = await memberWithPassword();
    const other = await memberWithPassword();
    const tokens = [await signInToken(member.email), await signInToken(member.email)];
    const othersToken = await signInToken(other.email);

    expect(await revokeAllUserSessions(member.userId)).toBe(2);

    for (const token of tokens) expect(await userIdOfCookie(token)).toBeUndefined();
    expect(await userIdOfCookie(othersToken)).toBe(other.userId);
  });

  it("a token without a recorded session (or another user's session) names no one", async () => {
    const member = await memberWithPassword();
    const other = await memberWithPassword();
    const othersToken = await signInToken(other.email);
    expect(await userIdOfCookie({ sub: member.userId, name: member.name })).toBeUndefined();
    expect(await userIdOfCookie({ sub: member.userId, sid: othersToken.sid })).toBeUndefined();
  });
});
