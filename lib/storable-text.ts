// PostgreSQL text and jsonb cannot hold U+0000 (NUL). Schemas refuse it up front with a message
// naming the field; lib/errors.ts maps what gets past them to the same 400.

export const hasNoNul = (value: string) => !value.includes("\u0000");

export const noNulMessage = (field: string) => `${field} must not contain NUL characters.`;
