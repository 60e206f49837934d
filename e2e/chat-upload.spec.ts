import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { ACME_OWNER, botIdByName, expect, signedInPage, test } from "./fixtures";

// The web chat's upload path on the real server: the body is parsed as a stream, the file lands
// in storage, downloads honour Range, and a file missing from storage is a clean 404.
test("a web-chat upload is stored, downloaded (also by range) and answers 404 once its bytes are gone", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await botIdByName(owner, "Acme Support Bot");
  const contact = await browser.newContext();
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, index) => index % 251));

  const sent = await contact.request.post(`/chat/${botId}/messages`, {
    multipart: { text: "my log", files: { name: "trace log.bin", mimeType: "application/octet-stream", buffer: bytes } },
  });
  expect(sent.status()).toBe(201);
  const { messages } = (await sent.json()) as { messages: { attachments: { id: string; fileName: string; size: number }[] }[] };
  const [attachment] = messages[0].attachments;
  expect(attachment).toMatchObject({ fileName: "trace log.bin", size: 5000 });

  const url = `/chat/${botId}/files/${attachment.id}`;
  const whole = await contact.request.get(url);
  expect(whole.status()).toBe(200);
  expect((await whole.body()).equals(bytes)).toBe(true);
  const partial = await contact.request.get(url, { headers: { Range: "bytes=100-199" } });
  expect(partial.status()).toBe(206);
  expect(partial.headers()["content-range"]).toBe("bytes 100-199/5000");
  expect((await partial.body()).equals(bytes.subarray(100, 200))).toBe(true);

  // Over the limit, chunked or not: 413 (MAX_UPLOAD_BYTES defaults to 25 MB).
  const tooBig = await contact.request.post(`/chat/${botId}/messages`, {
    multipart: { files: { name: "big.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(26 * 1024 * 1024) } },
  });
  expect(tooBig.status()).toBe(413);

  // The bytes vanish from storage (a lost disk, a bucket cleaned by hand): 404, not a broken 200.
  const folder = path.join(process.env.E2E_DATA_DIR!, "files", "web-chat", botId);
  for (const name of readdirSync(folder)) rmSync(path.join(folder, name));
  const missing = await contact.request.get(url);
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
});
