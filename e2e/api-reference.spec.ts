import { ACME_OWNER, escapeRegExp, expect, signedInPage, test } from "./fixtures";

// The public API reference (/api-reference) and the OpenAPI document it is rendered from.

type OpenApi = { openapi: string; info: { title: string }; paths: Record<string, Record<string, { summary: string }>> };

test("the API reference lists every endpoint of /api/openapi.json, without signing in", async ({ page, request, baseURL }) => {
  const response = await request.get("/api/openapi.json");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/json");
  const document = (await response.json()) as OpenApi;
  expect(document.openapi).toMatch(/^3\.1/);
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method: method.toUpperCase(), summary: operation.summary })),
  );
  // The endpoints PRODUCT.md §5 names, at least.
  for (const expected of [
    "GET /api/peoples/conversation/share/{mode}/{user_id}/{duration}",
    "POST /api/v1/share",
    "GET /api/v1/share",
    "GET /api/v1/share/{shareId}",
    "PATCH /api/v1/share/{shareId}",
    "DELETE /api/v1/share/{shareId}",
    "POST /api/v1/bots/{botId}/messages",
  ]) {
    expect(operations.map((operation) => `${operation.method} ${operation.path}`)).toContain(expected);
  }

  expect((await page.goto("/api-reference"))?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  const endpoints = page.getByRole("navigation", { name: "Endpoints" }).getByRole("listitem");
  await expect(endpoints).toHaveCount(operations.length);
  for (const operation of operations) {
    await expect(
      endpoints.filter({ hasText: new RegExp(`^${operation.method}\\s*${escapeRegExp(operation.path)}\\s*— ${escapeRegExp(operation.summary)}$`) }),
    ).toHaveCount(1);
  }

  // An endpoint's entry leads to its section, with a curl example against this instance.
  const channel = operations.find((operation) => operation.method === "POST" && operation.path === "/api/v1/bots/{botId}/messages")!;
  await endpoints.filter({ hasText: channel.summary }).getByRole("link").click();
  const section = page.locator("section").filter({ has: page.getByRole("heading", { level: 3, name: /\/api\/v1\/bots\/\{botId\}\/messages/ }) });
  await expect(section).toBeInViewport();
  await expect(section).toContainText("Request body");
  await expect(section.getByRole("code").filter({ hasText: "curl" })).toContainText(`${baseURL}/api/v1/bots/`);

  // The machine-readable link opens the JSON.
  await page.getByRole("link", { name: "/api/openapi.json" }).click();
  await expect(page).toHaveURL(/\/api\/openapi\.json$/);
  await expect(page.locator("body")).toContainText('"openapi"');
});

test("an owner finds the API reference from the tokens page", async ({ browser }) => {
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await owner.goto("/settings/tokens");
  await owner.getByRole("link", { name: "API reference" }).click();
  await expect(owner.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
});
