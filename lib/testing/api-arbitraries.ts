/**
 * fast-check generators shared by the API property tests: Authorization headers that must not get
 * a caller in.
 */
import fc from "fast-check";
import { expect } from "vitest";

export const bearer = (token: string) => `Bearer ${token}`;

const secret = fc.stringMatching(/^[0-9A-Za-z]{32}$/);

/**
 * Authorization headers that carry no usable token: missing, empty, another scheme, garbage, or
 * `validToken` mangled (no scheme, a character more or less, upper-cased, a trailing word).
 */
export function malformedAuthorization(validToken: string): fc.Arbitrary<string | null> {
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom("", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer sb_bot_", "Token x"),
    fc.string({ maxLength: 80 }),
    fc.string({ maxLength: 80 }).map(bearer),
    secret.map((s) => bearer(`sb_xyz_${s}`)),
    fc.constantFrom(
      validToken,
      `Basic ${validToken}`,
      bearer(`${validToken}x`),
      bearer(validToken.slice(0, -1)),
      `${bearer(validToken)} extra`,
      bearer(validToken.toUpperCase()),
    ),
  );
}

/** Well-formed tokens that let no one in: unknown bot and personal tokens, and `revokedToken`. */
export function deadTokenAuthorization(revokedToken: string): fc.Arbitrary<string> {
  return fc.oneof(secret.map((s) => bearer(`sb_bot_${s}`)), secret.map((s) => bearer(`sb_pat_${s}`)), fc.constant(bearer(revokedToken)));
}

/**
 * Checks what every refused request gets (a 4xx JSON answer, of `expectedStatus` when the request
 * has a single fault) and returns the body, described by `request` in any failure message.
 */
export async function expectJsonRejection(response: Response, expectedStatus: number | null, request: unknown) {
  const status = response.status;
  const text = await response.text();
  const why = `${JSON.stringify(request).slice(0, 300)} → ${status} ${text.slice(0, 300)}`;
  expect(status, why).toBeGreaterThanOrEqual(400);
  expect(status, why).toBeLessThan(500);
  if (expectedStatus !== null) expect(status, why).toBe(expectedStatus);
  expect(response.headers.get("content-type"), why).toContain("application/json");
  return { body: JSON.parse(text) as Record<string, unknown>, why };
}
