import { resetLinkIn } from "../test/support/smtp";
import { trpcClient } from "../test/support/clients";
import { expect } from "./fixtures";
import { mailedTest } from "./mailed";
import { expectAccessible, PASSWORD, screenshot, signInThroughForm, uniqueName } from "./helpers";

const test = mailedTest;

test("forgot password → link from the real mail → new password → sign in", async ({ page, mailed }, testInfo) => {
  const name = uniqueName("reset");
  const email = `${name}@example.com`;
  await trpcClient(mailed.portal.url).auth.register.mutate({ email, username: name, password: PASSWORD });

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL(/\/forgot-password$/);
  await expectAccessible(page);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toHaveText(
    "If an account exists for this email, a password reset link has been sent to it.",
  );
  await screenshot(page, testInfo, "forgot-password");

  const link = resetLinkIn(await mailed.mail.waitFor(email, /Reset your mastoc password/));
  await page.goto(link);
  await expectAccessible(page);
  await page.getByLabel("New password").fill("password123");
  await expect(page.getByText("not accepted")).toBeVisible();
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText(/Password is too weak/)).toBeVisible();
  await page.getByLabel("New password").fill("Fresh-Start-Highball-61");
  await screenshot(page, testInfo, "reset-password");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page).toHaveURL(/\/login\?reset=1/);
  await signInThroughForm(page, email, "Fresh-Start-Highball-61");
  await expect(page).toHaveURL(/\/profile$/);

  // The link worked once: opening it again says so plainly.
  await page.goto(link);
  await page.getByLabel("New password").fill("Another-Fresh-Start-62");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.locator("main").getByRole("alert")).toContainText(
    "This reset link is invalid, has already been used or has expired",
  );
});
