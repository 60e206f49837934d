import "server-only";
import { isIPv4, isIPv6 } from "node:net";
import { env } from "@/lib/env";

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The client address that per-IP limits key on.
 * - TRUST_PROXY=true: the last hop of X-Forwarded-For, which the reverse proxy in front appended
 *   from its socket; entries before it are whatever the client sent and are ignored.
 * - otherwise: X-Forwarded-For as `next start` fills it from the socket. Next keeps a header the
 *   client sent itself, so without a proxy a client can pick its own key: per-IP limits are then
 *   best effort, while the per-account, per-contact and per-token limits do not depend on it.
 * IPv6 addresses key on their /64, the block one subscriber usually holds.
 */
export function clientIp(headers: HeaderSource): string {
  const hops = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const address = env.TRUST_PROXY ? hops.at(-1) : hops[0];
  return address ? normalizeAddress(address) : "unknown";
}

function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${expandIPv6(address).slice(0, 4).join(":")}::/64`;
  // Not an address (a forged header): still a key, but a bounded one.
  return `other:${address.slice(0, 64)}`;
}

/** The eight groups of an IPv6 address, "::" filled in (input already checked by isIPv6). */
function expandIPv6(address: string): string[] {
  const [head, tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const missing = 8 - left.length - right.length;
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill("0"), ...right];
  return groups.map((group) => group.toLowerCase().replace(/^0+(?=.)/, ""));
}
