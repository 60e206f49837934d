export { clientIp } from "@/lib/rate-limit/client-ip";
export {
  assertShareLookupAllowed,
  assertSignInAllowed,
  consumeApiToken,
  consumeChatWrite,
  recordFailedShareLookup,
  recordFailedSignIn,
  recordSuccessfulSignIn,
  signInRefusal,
} from "@/lib/rate-limit/limits";
