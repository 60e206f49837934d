import { ACME_OWNER, botIdByName, createApiToken, expect, readZip, signedInPage, test } from "./fixtures";

// The frame around every page: the not-available page without JavaScript, the favicon, the 404
// page, dark mode, and the owner's conversation header following the conversation live.

const UNKNOWN_SHARE = "/share/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

test("the link-not-available page is complete without JavaScript: its text, <html lang> and a real title", async ({ browser }) => {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  const response = await page.goto(UNKNOWN_SHARE);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This link is not available" })).toBeVisible();
  await expect(page.getByText("Ask the person who shared it for a new link.")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page).toHaveTitle("Link not available · Switchboard");
});

test("the favicon answers on every path a browser asks for, and pages link it", async ({ page, request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  for (const path of ["/login", "/no-such-page", UNKNOWN_SHARE]) {
    await page.goto(path);
    const icons = await page.locator('link[rel="icon"]').evaluateAll((links) => links.map((link) => new URL((link as HTMLLinkElement).href).pathname));
    expect(icons, path).toContain("/favicon.ico");
  }
});

test("an unknown address shows the app's styled 404 page with a way back", async ({ page }) => {
  const response = await page.goto("/no-such-page/at-all");
  expect(response?.status()).toBe(404);
  const heading = page.getByRole("heading", { name: "Page not found" });
  await expect(heading).toBeVisible();
  await expect(page).toHaveTitle("Page not found · Switchboard");
  // The app's stylesheet, not Next's bare default (whose heading is weight 500 on a plain page).
  expect(await heading.evaluate((element) => getComputedStyle(element).fontWeight)).toBe("600");
  await page.getByRole("link", { name: "Go to conversations" }).click();
  await expect(page).toHaveURL(/\/login/);
});

test("pages follow the system's dark mode", async ({ browser }) => {
  const background = async (colorScheme: "light" | "dark", path: string) => {
    const page = await (await browser.newContext({ colorScheme })).newPage();
    await page.goto(path);
    // The relative luminance of the body's background, drawn by the browser (it may report oklch()).
    return page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = 1;
      const context = canvas.getContext("2d")!;
      context.fillStyle = getComputedStyle(document.body).backgroundColor;
      context.fillRect(0, 0, 1, 1);
      const [r, g, b] = context.getImageData(0, 0, 1, 1).data;
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    });
  };
  for (const path of ["/login", UNKNOWN_SHARE, "/no-such-page"]) {
    expect(await background("light", path), path).toBeGreaterThan(0.9);
    expect(await background("dark", path), path).toBeLessThan(0.15);
  }
});

test("the owner's conversation header and file list count a message and its file as they arrive", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await botIdByName(owner, "Acme Support Bot");
  await owner.goto(`/bots/${botId}`);
  const token = await createApiToken(owner, `live counts ${Date.now()}`);
  const contact = { externalId: `live-${Date.now()}`, name: "Lena Live" };
  const post = async (text: string, fileName: string) => {
    const response = await request.post(`/api/v1/bots/${botId}/messages`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { contact, text, channel: "whatsapp", files: [{ fileName, dataBase64: Buffer.from(text).toString("base64") }] },
    });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as { data: { conversationId: string } }).data.conversationId;
  };

  const conversationId = await post("First question", "first.txt");
  await owner.goto(`/conversations/${conversationId}`);
  const messages = owner.getByTestId("message");
  const count = owner.getByTestId("message-count");
  const files = owner.getByRole("heading", { name: /^Files/ });
  const initial = await messages.count();
  await expect(count).toHaveText(`${initial} messages`);
  await expect(files).toHaveText("Files (1)");

  await post("Second question", "second.txt");
  await expect(messages.filter({ hasText: "Second question" })).toBeVisible();
  await expect(files).toHaveText("Files (2)");
  await expect(owner.getByRole("link", { name: "Download second.txt" })).toBeVisible();
  // The header counts what the list shows (the contact's message and the bot's replies).
  await expect
    .poll(async () => `${await count.textContent()} / ${await messages.count()} messages`)
    .toMatch(/^(\d+) messages \/ \1 messages$/);
  expect(await messages.count()).toBeGreaterThan(initial);
  // Its "last message" is the newest message's time.
  const newest = await messages.last().locator("time").getAttribute("datetime");
  await expect(owner.locator("header time")).toHaveAttribute("datetime", newest!);
});

test("a shared page's counts and file list follow the conversation as messages arrive", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await botIdByName(owner, "Acme Support Bot");
  await owner.goto(`/bots/${botId}`);
  const token = await createApiToken(owner, `live share counts ${Date.now()}`);
  const headers = { Authorization: `Bearer ${token}` };
  const contact = { externalId: `live-share-${Date.now()}`, name: "Sami Shared" };
  const post = async (text: string, fileName: string) => {
    const response = await request.post(`/api/v1/bots/${botId}/messages`, {
      headers,
      data: { contact, text, channel: "whatsapp", files: [{ fileName, dataBase64: Buffer.from(text).toString("base64") }] },
    });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as { data: { conversationId: string } }).data.conversationId;
  };

  const conversationId = await post("Shared first", "shared-first.txt");
  const created = await request.post("/api/v1/share", { headers, data: { conversationId } });
  expect(created.status(), await created.text()).toBe(201);
  const { shareUrl } = ((await created.json()) as { data: { shareUrl: string } }).data;

  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(new URL(shareUrl).pathname);
  const messages = viewer.getByTestId("message");
  const count = viewer.getByTestId("share-message-count");
  const files = viewer.getByRole("heading", { name: /^Files/ });
  await expect(count).toHaveText(String(await messages.count()));
  await expect(files).toHaveText("Files (1)");

  await post("Shared second", "shared-second.txt");
  await expect(messages.filter({ hasText: "Shared second" })).toBeVisible();
  await expect(files).toHaveText("Files (2)");
  await expect.poll(async () => `${await count.textContent()} = ${await messages.count()}`).toMatch(/^(\d+) = \1$/);
});

test("a shared conversation without files still offers Download all, for its transcript", async ({ browser, request }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  const botId = await botIdByName(owner, "Acme Support Bot");
  await owner.goto(`/bots/${botId}`);
  const token = await createApiToken(owner, `transcript only ${Date.now()}`);
  const headers = { Authorization: `Bearer ${token}` };
  const sent = await request.post(`/api/v1/bots/${botId}/messages`, {
    headers,
    data: { contact: { externalId: `no-files-${Date.now()}`, name: "Nora" }, text: "Just a question, no files", channel: "whatsapp" },
  });
  expect(sent.status(), await sent.text()).toBe(201);
  const { conversationId } = ((await sent.json()) as { data: { conversationId: string } }).data;
  const created = await request.post("/api/v1/share", { headers, data: { conversationId } });
  const { shareUrl } = ((await created.json()) as { data: { shareUrl: string } }).data;

  const viewer = await (await browser.newContext()).newPage();
  await viewer.goto(new URL(shareUrl).pathname);
  await expect(viewer.getByRole("heading", { name: /^Files/ })).toHaveText("Files (0)");
  const zipUrl = await viewer.getByRole("link", { name: "Download all" }).getAttribute("href");
  const zip = await request.get(zipUrl!);
  expect(zip.status()).toBe(200);
  const entries = await readZip(await zip.body());
  expect([...entries.keys()]).toEqual(["transcript.md"]);
  expect(entries.get("transcript.md")!.toString("utf8")).toContain("Just a question, no files");
});
