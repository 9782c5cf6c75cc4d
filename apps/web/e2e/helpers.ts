import AxeBuilder from "@axe-core/playwright";
import type { Page, TestInfo } from "@playwright/test";
import { tokensOf, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";
import { expect } from "./fixtures";

export const PASSWORD = "Granite-Overhang-Crimp-42";
let counter = 0;
export const uniqueName = (label = "web") => `${label}${Date.now().toString(36)}${counter++}`;

/** No serious or critical accessibility violation on the page as it is now (axe-core). */
export async function expectAccessible(page: Page) {
  // After a client-side navigation or refresh the new title can land a moment after the content.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter(
    (violation) => violation.impact === "serious" || violation.impact === "critical",
  );
  expect(
    serious.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`),
  ).toEqual([]);
}

/** Saves a full-page screenshot of the page as a test artifact. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Signs in through the form and waits until the browser has left the sign-in page. */
export async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/** An account made over the API (role set by the bootstrap admin when needed). */
export async function createAccount(baseURL: string, role: "USER" | "MODERATOR" | "ADMIN" = "USER") {
  const name = uniqueName();
  const user = await trpcClient(baseURL).auth.register.mutate({
    email: `${name}@example.com`,
    username: name,
    password: PASSWORD,
    name: `Climber ${name}`,
  });
  if (role !== "USER") {
    const admin = tokensOf(
      await trpcClient(baseURL).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    );
    await trpcClient(baseURL, { token: admin.access_token }).admin.setRole.mutate({ id: user.id, role });
  }
  const tokens = tokensOf(await trpcClient(baseURL).auth.login.mutate({ email: user.email, password: PASSWORD }));
  return { ...user, api: trpcClient(baseURL, { token: tokens.access_token }) };
}

/** The page fits the viewport's width: nothing makes the whole page scroll sideways. */
export async function expectNoHorizontalScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth} px wide in a ${innerWidth} px viewport`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/**
 * Opens the header menu of a narrow screen. A click that lands before the page is hydrated does
 * nothing, so the state is checked before each (bounded) retry rather than toggled blindly.
 */
export async function openMenu(page: Page) {
  const button = page.getByRole("button", { name: "Menu" });
  await expect(async () => {
    if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
}

/** A platform authenticator holding discoverable credentials, verifying its user (Chromium's CDP). */
export async function addVirtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}
