import { tokensOf, trpcClient } from "../test/support/clients";
import { createAccount, screenshot } from "./helpers";
import { expect, test } from "./fixtures";

// The REST reference renders offline: every request stays on this origin, the portal's policy holds
// with no violation, and "Try it out" works with a pasted bearer token.
test("the REST reference renders from this origin and tries a call with a pasted token", async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  const violations: string[] = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.origin !== origin) elsewhere.push(request.url());
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });

  const account = await createAccount(baseURL!);
  const { access_token } = tokensOf(
    await trpcClient(baseURL!).auth.login.mutate({
      email: account.email,
      password: "Granite-Overhang-Crimp-42",
    }),
  );

  const response = await page.goto("/docs");
  expect(response!.headers()["content-security-policy"]).toContain("script-src 'self'");
  // Swagger UI is a large script: on a busy machine it may take a while to render.
  await expect(page.getByRole("heading", { name: /mastoc accounts REST API/ })).toBeVisible({ timeout: 45_000 });
  await expect(page.locator(".opblock-tag-section")).toHaveCount(6);

  await page.getByRole("button", { name: "Authorize" }).first().click();
  const dialog = page.locator(".modal-ux");
  await dialog.locator("input").first().fill(access_token);
  await dialog.getByRole("button", { name: "Apply credentials" }).first().click();
  await dialog.getByRole("button", { name: "Close" }).first().click();

  const operation = page.locator("#operations-auth-authMe");
  await operation.locator(".opblock-summary").click();
  await operation.getByRole("button", { name: "Try it out" }).click();
  await operation.getByRole("button", { name: "Execute" }).click();
  const live = operation.locator(".live-responses-table");
  await expect(live.locator("tbody .response-col_status").first()).toContainText("200");
  await expect(live).toContainText(account.email);
  await screenshot(page, testInfo, "rest-docs");

  expect(elsewhere).toEqual([]);
  expect(violations).toEqual([]);
});
