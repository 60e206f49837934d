export { clientIp } from "@/lib/rate-limit/client-ip";
export {
  assertShareLookupAllowed,
  assertSignInAllowed,
  consumeApiToken,
  consumeChatWrite,
  consumeContinuation,
  recordFailedShareLookup,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  signInRefusal,
} from "@/lib/rate-limit/limits";
