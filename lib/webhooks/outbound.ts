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
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
] as const) {
  SPECIAL_RANGES.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 127],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  SPECIAL_RANGES.addSubnet(network, prefix, "ipv6");
}

/** The IPv4 address inside an IPv4-mapped IPv6 address (::ffff:127.0.0.1 or ::ffff:7f00:1), else null. */
function mappedIpv4(address: string): string | null {
  const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (dotted) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = family === 6 ? mappedIpv4(address) : null;
  if (mapped) return SPECIAL_RANGES.check(mapped, "ipv4");
  return SPECIAL_RANGES.check(address, family === 4 ? "ipv4" : "ipv6");
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
