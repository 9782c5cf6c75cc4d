import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";
import { signInThroughForm } from "./helpers";
import { expect, test } from "./fixtures";

// The Content-Security-Policy allows only scripts from this origin or carrying the response's
// nonce: the pages must still hydrate and work, with no violation reported by the browser.
test("pages run under a nonce-based script policy with no violation", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  const response = await page.goto("/register");
  const policy = response!.headers()["content-security-policy"]!;
  const scriptSource = policy.split(";").find((directive) => directive.trim().startsWith("script-src"))!;
  expect(scriptSource).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(scriptSource).not.toContain("unsafe-inline");
  expect(scriptSource).not.toContain("unsafe-eval");

  // Every script the page carries has this response's nonce (the browser hides the attribute's value from the DOM).
  const nonce = scriptSource.match(/'nonce-([^']+)'/)![1]!;
  const nonces = await page
    .locator("script")
    .evaluateAll((scripts) => scripts.map((script) => (script as HTMLScriptElement).nonce));
  expect(nonces.length).toBeGreaterThan(0);
  expect(new Set(nonces)).toEqual(new Set([nonce]));

  // Hydrated: the live strength meter answers typing (a POST, never the password in a URL).
  const requests: string[] = [];
  page.on("request", (request) => requests.push(`${request.method()} ${request.url()}`));
  await page.getByLabel("Password", { exact: true }).fill("Granite-Overhang-Crimp-42");
  await expect(page.getByLabel("Strength score")).toBeVisible();
  expect(requests.some((line) => line.startsWith("POST") && line.includes("auth.passwordStrength"))).toBe(true);
  expect(requests.filter((line) => line.includes("Granite-Overhang"))).toEqual([]);

  // A fresh nonce on the next response.
  const next = await page.goto("/login");
  expect(next!.headers()["content-security-policy"]).not.toBe(policy);
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page.locator("header .badge")).toHaveText("Administrator");
  expect(violations).toEqual([]);
});
