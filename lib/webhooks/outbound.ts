import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { env } from "@/lib/env";

// Webhook URLs are typed in by organization owners, so the server must not become their way into
// the machine's own network (SSRF): loopback, private, link-local (cloud metadata at
// 169.254.169.254), carrier-grade NAT and other special ranges are refused unless the operator of
// the installation allows them (WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, e.g. a channel bridge on the
// same private network). The check runs on every address the host name resolves to, inside the
// connection's own DNS lookup, so a name that resolves differently later (DNS rebinding) cannot
// slip past it. We use node:http rather than fetch because fetch offers no such lookup hook
// without the undici package.

const SPECIAL_RANGES = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
] as const) {
  SPECIAL_RANGES.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  // Unspecified, loopback and the deprecated IPv4-compatible ::a.b.c.d, which some stacks still
  // route to the IPv4 host: nothing public lives there.
  ["::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 32],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  SPECIAL_RANGES.addSubnet(network, prefix, "ipv6");
}

/** The 16 bytes of a valid IPv6 address (a trailing dotted IPv4 part and a zone id allowed). */
function ipv6Bytes(address: string): number[] {
  let text = address.split("%")[0].toLowerCase();
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, null];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups = [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 255];
  });
}

/**
 * The IPv4 address an IPv6 address carries and reaches, or null: IPv4-mapped ::ffff:a.b.c.d,
 * IPv4-translated ::ffff:0:a.b.c.d, NAT64 64:ff9b::a.b.c.d and 6to4 2002:aabb:ccdd::/48. Each can
 * lead to the IPv4 host (`http://[::ffff:127.0.0.1]/` is loopback), so the IPv4 rules apply.
 */
function embeddedIpv4(address: string): string | null {
  const bytes = ipv6Bytes(address);
  const zero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  const ipv4At = (offset: number) => bytes.slice(offset, offset + 4).join(".");
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return ipv4At(12);
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return ipv4At(12);
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) return ipv4At(12);
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return ipv4At(2);
  return null;
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  if (family === 4) return SPECIAL_RANGES.check(address, "ipv4");
  const ipv4 = embeddedIpv4(address);
  if (ipv4 !== null && SPECIAL_RANGES.check(ipv4, "ipv4")) return true;
  return SPECIAL_RANGES.check(address.split("%")[0], "ipv6");
}

const privateNetworksAllowed = () => env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;

/** Refused by the private-network rule; the message says how to allow it. */
export class PrivateAddressError extends Error {
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, a private or local address; webhooks go to public addresses only ` +
        "unless the server sets WEBHOOK_ALLOW_PRIVATE_NETWORKS=true.",
    );
    this.name = "PrivateAddressError";
  }
}

/** The reason a webhook URL is refused before any request, or null (host names are checked when sending). */
export function privateUrlProblem(url: string): string | null {
  if (privateNetworksAllowed()) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost")) return new PrivateAddressError(host, "a loopback address").message;
  return isIP(host) && isPrivateAddress(host) ? new PrivateAddressError(host, host).message : null;
}

/** dns.lookup for outgoing webhook connections: fails for a name with any private address. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 0);
    const blocked = privateNetworksAllowed() ? undefined : addresses.find(({ address }) => isPrivateAddress(address));
    if (blocked) return callback(new PrivateAddressError(hostname, blocked.address), "", 0);
    if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0].address, addresses[0].family);
  });
};

/**
 * POSTs a body and answers the response's status code. Redirects are not followed (a redirect is
 * an answer, not a delivery: following it could send the message elsewhere). Rejects with a
 * PrivateAddressError, a TimeoutError after `timeoutMs`, or the connection's error.
 */
export function postWebhookRequest(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<number> {
  const problem = privateUrlProblem(url);
  if (problem) return Promise.reject(Object.assign(new Error(problem), { name: "PrivateAddressError" }));
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (response) => {
        // The answer's body is not read: only the status counts.
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
