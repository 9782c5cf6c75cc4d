import { enableTwoFactor } from "../test/support/clients";
import { expect, localhostTest } from "./fixtures";
import {
  addVirtualAuthenticator,
  createAccount,
  expectAccessible,
  PASSWORD,
  screenshot,
  signInThroughForm,
} from "./helpers";

const test = localhostTest;

test("add a passkey, sign out, sign in with it, delete it, and it no longer signs in", async ({
  page,
  localhostPortal,
}, testInfo) => {
  test.setTimeout(120_000);
  const { cdp, authenticatorId } = await addVirtualAuthenticator(page);

  const account = await createAccount(localhostPortal.url);
  await signInThroughForm(page, account.email, PASSWORD);
  await page.goto("/profile/security");
  const section = page.getByRole("region", { name: "Passkeys", exact: true });
  await expect(section).toContainText("No passkeys yet");
  await section.getByLabel("Name").fill("Test laptop");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("status")).toHaveText("Passkey “Test laptop” added.");
  await expect(section.getByRole("cell", { name: "Test laptop", exact: true })).toBeVisible();
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]!.isResidentCredential).toBe(true);
  await expectAccessible(page);
  await screenshot(page, testInfo, "passkeys-profile");

  // Rename it (the name is asked in the page's own dialog).
  await section.getByRole("button", { name: "Rename passkey Test laptop" }).click();
  const rename = page.getByRole("dialog", { name: "Rename the passkey “Test laptop”" });
  await expect(rename.getByLabel("New name")).toBeFocused();
  await rename.getByLabel("New name").fill("Work laptop");
  await expectAccessible(page);
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(rename).toBeHidden();
  await expect(section.getByRole("cell", { name: "Work laptop", exact: true })).toBeVisible();

  // Signed out, the passkey alone signs in: no email, no password.
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await page.goto("/profile/security");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(
    page.getByRole("region", { name: "Passkeys", exact: true }).getByRole("cell", { name: "Work laptop", exact: true }),
  ).toBeVisible();

  // Deleted (after the dialog's confirmation), it is refused.
  await page
    .getByRole("region", { name: "Passkeys", exact: true })
    .getByRole("button", { name: "Delete passkey Work laptop" })
    .click();
  await page
    .getByRole("dialog", { name: "Delete the passkey “Work laptop”?" })
    .getByRole("button", { name: "Delete passkey" })
    .click();
  await expect(page.getByRole("region", { name: "Passkeys", exact: true })).toContainText("No passkeys yet");
  await page.context().clearCookies();
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.locator("main").getByRole("alert")).toHaveText("This passkey could not sign you in");
  await expect(page).toHaveURL(/\/login/);
  await screenshot(page, testInfo, "passkeys-refused");
});

test("an account with 2FA is deleted with the password and a passkey instead of a code", async ({
  page,
  localhostPortal,
}) => {
  test.setTimeout(120_000);
  await addVirtualAuthenticator(page);
  const account = await createAccount(localhostPortal.url);
  await signInThroughForm(page, account.email, PASSWORD);
  await page.goto("/profile/security");
  const section = page.getByRole("region", { name: "Passkeys", exact: true });
  await section.getByLabel("Name").fill("Phone");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByRole("status")).toHaveText("Passkey “Phone” added.");
  // Two-factor authentication turned on afterwards (this browser's session stays).
  await enableTwoFactor(localhostPortal.url, account.email, PASSWORD);

  await page.goto("/profile/delete");
  await expect(page.getByText("or one of your passkeys")).toBeVisible();
  const dialog = page.getByRole("dialog", { name: "Delete your account for good?" });
  const open = page.getByRole("button", { name: "Delete my account…" });
  await expect(async () => {
    if (!(await dialog.isVisible())) await open.click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // The password is still needed.
  await dialog.getByRole("button", { name: "Delete with a passkey" }).click();
  await expect(dialog.getByText("Password is required")).toBeVisible();
  await dialog.getByLabel("Password").fill(PASSWORD);
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Delete with a passkey" }).click();
  await expect(page).toHaveURL(/\/goodbye$/);
  const gone = await fetch(`${localhostPortal.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: account.email, password: PASSWORD }),
  });
  expect(gone.status).toBe(401);
});
