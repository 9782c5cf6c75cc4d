import { readFileSync } from "node:fs";
import sharp from "sharp";
import { expect, test } from "./fixtures";
import { expectAccessible, PASSWORD, screenshot, signInThroughForm, uniqueName } from "./helpers";

const NEW_PASSWORD = "Summit-Push-Heel-Toe-63";

test("register (signed in at once) → edit profile → upload avatar → change password → sign out", async ({
  page,
}, testInfo) => {
  const name = uniqueName("reg");
  const email = `${name}@example.com`;

  await page.goto("/register");
  await expectAccessible(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill("password123");
  await expect(page.getByText("not accepted")).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await expect(page.getByText(/Strong|Very strong/)).toBeVisible();
  await page.getByLabel("Display name").fill("Ada Crimp");
  await screenshot(page, testInfo, "register");
  await page.getByRole("button", { name: "Create account" }).click();
  // Registering signs the browser in: the settings greet the new climber.
  await expect(page).toHaveURL(/\/profile\?welcome=1$/);
  await expect(page.getByRole("status").filter({ hasText: "Welcome to mastoc" })).toContainText("you are signed in");
  await expectAccessible(page);
  await screenshot(page, testInfo, "welcome");
  await expect(page.locator("header")).toContainText("Ada Crimp");
  await expect(page.locator("header .badge")).toHaveText("User");
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);

  // Edit the profile; a taken username is reported on its field.
  await page.getByLabel("Display name").fill("Ada the Climber");
  await page.getByLabel("First name").fill("Ada");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Profile saved.")).toBeVisible();
  await expect(page.locator("header")).toContainText("Ada the Climber");
  await page.getByLabel("Username").fill("x");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await expect(page.getByText("Username must be at least 3 characters")).toBeVisible();
  await page.getByLabel("Username").fill(name);

  // Upload an avatar, with a preview first.
  const png = testInfo.outputPath("avatar.png");
  await sharp({ create: { width: 120, height: 90, channels: 3, background: "#e76f51" } })
    .png()
    .toFile(png);
  await page
    .getByLabel("Avatar image")
    .setInputFiles({ name: "avatar.png", mimeType: "image/png", buffer: readFileSync(png) });
  await expect(page.getByAltText("Preview of the new avatar")).toBeVisible();
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByText("Avatar updated.")).toBeVisible();
  await expect(page.getByAltText("Your avatar")).toHaveAttribute("src", /\/api\/users\/.+\/avatar\?v=/);
  // A file that is not an image is refused with a clear message.
  await page
    .getByLabel("Avatar image")
    .setInputFiles({ name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<html>x</html>") });
  await page.getByRole("button", { name: "Upload avatar" }).click();
  await expect(page.getByText("Unsupported image type: upload a PNG, JPEG, WebP or GIF image")).toBeVisible();

  // Change the password (Settings → Security): a wrong current password is reported on its field.
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Security", exact: true }).click();
  await expect(page).toHaveURL(/\/profile\/security$/);
  await page.getByLabel("Current password").fill("Not-My-Password-1");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("The current password is not correct")).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/Password changed\./)).toBeVisible();

  // API key shown once.
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL(/\/profile\/api-keys$/);
  await page.getByLabel("Key name").fill("backup script");
  await page.getByRole("button", { name: "Create API key" }).click();
  await expect(page.getByTestId("new-api-key")).toHaveText(/^mk_/);
  await expect(page.getByRole("cell", { name: "backup script", exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "profile");

  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/login\?next=%2Fprofile/);
  await signInThroughForm(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
});

test("five wrong passwords lock the account and the lock is shown plainly", async ({ page }, testInfo) => {
  const name = uniqueName("lock");
  const email = `${name}@example.com`;
  await page.goto("/register");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Username").fill(name);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/profile\?welcome=1$/);
  await page.context().clearCookies();
  await page.goto("/login");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`Wrong-Guess-${attempt}-zz`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.locator("main").getByRole("alert")).toHaveText("Invalid email or password");
  }
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText(
    /Too many failed sign-in attempts for this account\. Try again in 15 minutes\./,
  );
  await screenshot(page, testInfo, "login-locked");
});
