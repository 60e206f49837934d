// Many operators may click at once; they queue on the conversation's row lock, so give each
// transaction room to wait its turn instead of failing on Prisma's 2 s / 5 s defaults.
export const TAKEOVER_TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 };
