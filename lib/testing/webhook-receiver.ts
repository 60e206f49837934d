import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type ReceivedWebhook = { headers: IncomingMessage["headers"]; body: string };

const open: Server[] = [];

/**
 * A webhook receiver on 127.0.0.1 that answers with the next status of `statuses` (then 200).
 * Tests allow private networks to reach it (WEBHOOK_ALLOW_PRIVATE_NETWORKS) and close every
 * receiver with closeWebhookReceivers.
 */
export async function startWebhookReceiver(statuses: number[] = []) {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

export async function closeWebhookReceivers() {
  await Promise.all(open.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}

/** What a receiver does with the Standard Webhooks library: verify with the plain secret, or throw. */
export function verifyAsReceiver({ headers, body }: ReceivedWebhook, plainSecret: string): unknown {
  return new Webhook(`whsec_${Buffer.from(plainSecret).toString("base64")}`).verify(body, headers as Record<string, string>);
}
