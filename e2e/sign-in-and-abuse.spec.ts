import type { APIRequestContext, BrowserContext } from "@playwright/test";
import { ACME_OWNER, DEMO_PASSWORD, GLOBEX_OWNER, expect, test } from "./fixtures";

/** What the session endpoint makes of the cookies of a context: the signed-in email or none. */
async function sessionEmail(request: APIRequestContext): Promise<string | null> {
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { email?: string } };
  return session.user?.email ?? null;
}

/** A bare HTTP client holding a copy of a browser's cookies, as a thief would. */
async function copyCookies(context: BrowserContext, playwright: typeof import("@playwright/test")["request"], baseURL: string) {
  return playwright.newContext({ baseURL, storageState: await context.storageState() });
}

async function fillSignIn(page: import("@playwright/test").Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("sign-in never leaves the app, keeps the deep link, and keeps the email after a wrong password", async ({ page }) => {
  for (const callbackUrl of ["/%5Cevil.example/phish", "/%09/evil.example/phish", "//evil.example", "https://evil.example/"]) {
    await page.context().clearCookies();
    await page.goto(`/login?callbackUrl=${callbackUrl}`);
    await fillSignIn(page, ACME_OWNER.email);
    await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
    expect(new URL(page.url()).host).toBe(new URL(test.info().project.use.baseURL!).host);
  }

  await page.context().clearCookies();
  await page.goto("/bots");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fbots$/);
  await fillSignIn(page, ACME_OWNER.email, "not-the-password");
  await expect(page.getByText(/^(Wrong email or password\.|Too many attempts.*)$/)).toHaveText("Wrong email or password.");
  await expect(page.getByLabel("Email")).toHaveValue(ACME_OWNER.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/bots$/);
});

test("a copied session cookie stops working at sign-out, and every session at Sign out everywhere", async ({ browser, playwright, baseURL }) => {
  const laptop = await browser.newContext();
  const page = await laptop.newPage();
  await page.goto("/login");
  await fillSignIn(page, GLOBEX_OWNER.email);
  await expect(page.getByRole("heading", { name: "Conversations" })).toBeVisible();
  const thief = await copyCookies(laptop, playwright.request, baseURL!);
  expect(await sessionEmail(thief)).toBe(GLOBEX_OWNER.email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(await sessionEmail(thief)).toBeNull();
  const stolenPage = await thief.get("/conversations", { maxRedirects: 0 });
  expect(stolenPage.status()).toBe(307);

  // Two browsers signed in; Sign out everywhere in one ends both, and a copy of either.
  const browsers = [await browser.newContext(), await browser.newContext()];
  const pages = await Promise.all(browsers.map((context) => context.newPage()));
  for (const each of pages) {
    await each.goto("/login");
    await fillSignIn(each, GLOBEX_OWNER.email);
    await expect(each.getByRole("heading", { name: "Conversations" })).toBeVisible();
  }
  const copies = await Promise.all(browsers.map((context) => copyCookies(context, playwright.request, baseURL!)));
  await pages[0].getByRole("link", { name: "Sessions" }).click();
  await pages[0].getByRole("button", { name: "Sign out everywhere" }).click();
  await pages[0].getByRole("button", { name: "Yes, sign out everywhere" }).click();
  await expect(pages[0]).toHaveURL(/\/login/);
  for (const copy of copies) expect(await sessionEmail(copy)).toBeNull();
  await pages[1].reload();
  await expect(pages[1]).toHaveURL(/\/login/);
});

test("sign-in is refused after too many failures, with the wait shown on the form", async ({ page, request }) => {
  const email = `nobody-${Date.now()}@example.test`;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const response = await request.post("/api/auth/callback/credentials", { form: { email, password: `guess-${attempt}`, csrfToken, json: "true" } });
    expect(new URL(((await response.json()) as { url: string }).url).searchParams.get("error")).toBe("CredentialsSignin");
  }
  await page.goto("/login");
  await fillSignIn(page, email, "one-more-guess");
  await expect(page.getByText(/^(Wrong email or password\.|Too many attempts.*)$/)).toHaveText(/^Too many attempts, try again in \d+ s\.$/);
});

test("cross-site POSTs answer 403; an undecodable share path is an ordinary unavailable link", async ({ request }) => {
  const foreign = { Origin: "https://evil.example" };
  for (const path of ["/settings/tokens", "/conversations/x", "/share/x"]) {
    const response = await request.post(path, { headers: { ...foreign, "Next-Action": "7f00000000000000000000000000000000000000" }, data: "[]" });
    expect(response.status(), path).toBe(403);
    const nullOrigin = await request.post(path, { headers: { Origin: "null", "Next-Action": "7f00000000000000000000000000000000000000" }, data: "[]" });
    expect(nullOrigin.status(), path).toBe(403);
  }
  expect((await request.post("/chat/x/messages", { headers: foreign, multipart: { text: "hi" } })).status()).toBe(403);
  expect((await request.post("/share/x/view", { headers: foreign })).status()).toBe(403);

  for (const path of ["/share/%ED%A0%80", "/share/unknown-link-id"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()["x-robots-tag"], path).toBe("noindex, nofollow");
    expect(await response.text(), path).toContain("This link is not available");
  }
});
