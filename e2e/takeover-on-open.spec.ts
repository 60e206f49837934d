import { ACME_OWNER, createShareLink, expect, openConversation, signedInPage, test } from "./fixtures";

test("take over on open fires from a browser after load, never from a plain GET of the link", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const owner = await signedInPage(browser, ACME_OWNER.email);
  await openConversation(owner, "Refund for double charge");
  const { dialog, url } = await createShareLink(owner, async (form) => {
    await form.getByLabel("Takeover", { exact: true }).check();
    await form.getByLabel("Take over on open").check();
  });
  await dialog.getByRole("button", { name: "Close" }).click();

  // A link unfurler or mail scanner fetches the page: nothing changes.
  const prefetch = await request.get(url);
  expect(prefetch.status()).toBe(200);
  await owner.reload();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");

  // The owner previewing their own link (signed in) never takes the chat over.
  const preview = await owner.context().newPage();
  await preview.goto(url);
  await expect(preview.getByRole("button", { name: "Take over" })).toBeVisible();
  await preview.waitForTimeout(1_000);
  await expect(preview.getByTestId("control-state")).toHaveText("The bot is answering");
  await preview.close();

  // A person opens it in a browser: the page takes over by itself, under the name this browser keeps
  // (an operator who never gave one is asked first, see operator-control.spec.ts).
  const operatorContext = await browser.newContext();
  await operatorContext.addInitScript(() => window.localStorage.setItem("switchboard:operator-name", "Dana"));
  const operator = await operatorContext.newPage();
  await operator.goto(url);
  await expect(operator.getByRole("region", { name: "Operator console" })).toBeVisible();
  await expect(operator.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await expect(owner.getByTestId("control-state")).toHaveText("Taken over by Dana");
  await expect(owner.getByTestId("message").filter({ hasText: "An operator joined the conversation" }).last()).toBeVisible();

  // A second operator's tab opened meanwhile sees who holds it and stays idle through the hand back.
  const second = await (await browser.newContext()).newPage();
  await second.goto(url);
  await expect(second.getByTestId("control-state")).toHaveText("Taken over by Dana");

  await operator.getByRole("button", { name: "Hand back" }).click();
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(second.getByRole("button", { name: "Take over" })).toBeVisible();
  // Neither the idle tab nor a reload of the first takes control again: it fired once.
  await operator.reload();
  await expect(operator.getByRole("button", { name: "Take over" })).toBeVisible();
  await operator.waitForTimeout(1_500);
  await expect(owner.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(second.getByTestId("control-state")).toHaveText("The bot is answering");
  await expect(operator.getByText(/already took over once/)).toHaveCount(0);
  await owner.reload();
  await expect(owner.getByTestId("control-history")).toContainText("took over");
  await expect(owner.getByTestId("control-history")).toContainText("handed back");
});
