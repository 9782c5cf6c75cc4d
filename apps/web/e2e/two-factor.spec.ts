import { totp } from "../test/support/clients";
import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm } from "./helpers";

test("turn on two-factor authentication from the profile, then sign in with a code and with a recovery code", async ({
  page,
  baseURL,
}, testInfo) => {
  test.setTimeout(120_000);
  const account = await createAccount(baseURL!);
  await signInThroughForm(page, account.email, PASSWORD);
  await page.goto("/profile/security");

  const section = page.getByRole("region", { name: "Two-factor authentication" });
  await expect(section).toContainText("Two-factor authentication is off");
  await section.getByLabel("Password to confirm").fill(PASSWORD);
  await section.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(section.getByRole("img", { name: "QR code of your two-factor secret" })).toBeVisible();
  const secret = (await section.getByTestId("totp-secret").textContent())!;
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);
  await screenshot(page, testInfo, "two-factor-setup");

  // A wrong code is refused next to the field; the right one turns it on and shows the codes once.
  await section.getByLabel("Code from the app").fill((await totp(secret)) === "000000" ? "111111" : "000000");
  await section.getByRole("button", { name: "Turn on" }).click();
  await expect(section.getByText("The code is not correct")).toBeVisible();
  await section.getByLabel("Code from the app").fill(await totp(secret));
  await section.getByRole("button", { name: "Turn on" }).click();
  const codes = section.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const [recoveryCode, spareCode] = (await codes.allTextContents()).map((text) => text.trim());
  await expectAccessible(page);
  await screenshot(page, testInfo, "two-factor-recovery-codes");
  await section.getByRole("button", { name: "I have saved them" }).click();
  await expect(section).toContainText("Two-factor authentication is on");
  await expect(section).toContainText("10 recovery codes left");

  // Signing in now takes a second step.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const codeField = page.getByLabel("Authentication code");
  await expect(codeField).toBeFocused();
  await expectAccessible(page);
  await screenshot(page, testInfo, "two-factor-sign-in");
  await codeField.fill("000000" === (await totp(secret, 1)) ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("Invalid or expired sign-in code");
  await codeField.fill(recoveryCode!);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/profile/security");
  await expect(page.getByRole("region", { name: "Two-factor authentication" })).toContainText("9 recovery codes left");

  // And with a code from the app, after signing out.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authentication code").fill(await totp(secret, 1));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).not.toHaveURL(/\/login/);

  // Turning it off asks for the password and an unused code; the other sessions are signed out.
  await page.goto("/profile/security");
  const off = page.getByRole("form", { name: "Turn off two-factor authentication" });
  await off.getByLabel("Password").fill(PASSWORD);
  await off.getByLabel("Code from the app, or a recovery code").fill(recoveryCode!);
  await off.getByRole("button", { name: "Turn off" }).click();
  await expect(off.getByText("The code is not correct (or was already used)")).toBeVisible();
  await off.getByLabel("Code from the app, or a recovery code").fill(spareCode!);
  await off.getByRole("button", { name: "Turn off" }).click();
  await expect(page.getByRole("region", { name: "Two-factor authentication" })).toContainText(
    "Two-factor authentication is off",
  );
});
