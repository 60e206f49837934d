export { clientIp } from "@/lib/rate-limit/client-ip";
export {
  assertShareLookupAllowed,
  assertSignInAllowed,
  consumeApiToken,
  consumeChatWrite,
  consumePresenceReport,
  consumeContinuation,
  recordFailedShareLookup,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  signInRefusal,
} from "@/lib/rate-limit/limits";
