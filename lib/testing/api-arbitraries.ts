/**
 * fast-check generators shared by the API property tests: Authorization headers that must not get
 * a caller in.
 */
import fc from "fast-check";

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
