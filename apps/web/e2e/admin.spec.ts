import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm } from "./helpers";
import { tokensOf, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";

test("an admin changes a role and deactivates a user, whose open browser is signed out on its next navigation", async ({
  browser,
  page,
  baseURL,
}, testInfo) => {
  const target = await createAccount(baseURL!);
  const theirs = await browser.newContext();
  const theirPage = await theirs.newPage();
  await signInThroughForm(theirPage, target.email, PASSWORD);
  await expect(theirPage).toHaveURL(/\/profile$/);

  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole("link", { name: "Users" }).click();
  await expect(page).toHaveURL(/\/admin\/users/);
  await page.getByLabel("Search").fill(target.username);
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.getByRole("row", { name: new RegExp(target.username) });
  // Keyboard only: the role select's arrow key asks first, in a dialog naming the user and the role.
  await row.getByLabel(`Role of ${target.name}`).focus();
  await page.keyboard.press("ArrowDown");
  const confirm = page.getByRole("dialog", { name: `Make ${target.name} a moderator?` });
  await expect(confirm).toBeVisible();
  await expect(row.getByRole("cell", { name: "User", exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-role-dialog");
  // Escape cancels: nothing changes, and the focus is back on the select.
  await page.keyboard.press("Escape");
  await expect(confirm).toBeHidden();
  await expect(row.getByLabel(`Role of ${target.name}`)).toBeFocused();
  await expect(row.getByRole("cell", { name: "User", exact: true })).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(confirm.getByRole("button", { name: "Change role to Moderator" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(row.getByRole("status")).toHaveText(`${target.name} is now a moderator.`);
  await expect(row.getByRole("cell", { name: "Moderator", exact: true })).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-users");

  // The user's browser now shows moderator navigation on its next page…
  await theirPage.goto("/climbs");
  await expect(theirPage.getByRole("link", { name: "Users" })).toBeVisible();

  await row.getByRole("button", { name: `Deactivate ${target.name}` }).click();
  await expect(row.getByRole("cell", { name: "Deactivated" })).toBeVisible();

  // …and after the deactivation, its next navigation signs it out.
  await theirPage.goto("/profile");
  await expect(theirPage).toHaveURL(/\/login\?next=%2Fprofile&reason=session-ended/);
  await expect(theirPage.locator("main").getByRole("alert")).toHaveText("Your session has ended. Sign in again.");
  // The sign-in page removes the ended session's cookie from the browser; the next navigation follows that.
  await expect
    .poll(async () => (await theirs.cookies()).some((cookie) => cookie.name === "next-auth.session-token"))
    .toBe(false);
  await theirPage.goto("/profile");
  await expect(theirPage).toHaveURL(/\/login\?next=%2Fprofile$/);
  await theirs.close();

  // Nobody changes their own role or activation: the administrator's own row has no actions.
  await page.getByLabel("Search").fill("");
  await page.getByLabel("Role", { exact: true }).selectOption("ADMIN");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("row").filter({ hasText: ADMIN_EMAIL }).getByText("You")).toBeVisible();

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("cell", { name: "Account deactivated" }).first()).toBeVisible();
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-audit");
});

test("a moderator edits another user's climb; the list shows who created and last changed it", async ({
  page,
  baseURL,
}, testInfo) => {
  const owner = await createAccount(baseURL!);
  const moderator = await createAccount(baseURL!, "MODERATOR");
  const climb = await owner.api.climbs.create.mutate({ name: `Arete ${owner.username}`, grade: "6B" });

  await signInThroughForm(page, moderator.email, PASSWORD);
  await page.getByRole("link", { name: "Climbs" }).click();
  await page.getByLabel("Search").fill(climb.name);
  await page.getByRole("button", { name: "Filter" }).click();
  await page.getByRole("button", { name: `Edit ${climb.name}` }).click();
  const editor = page.getByRole("form", { name: `Edit ${climb.name}` });
  await editor.getByLabel("Grade").fill("9Z");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText(/Grade must be/)).toBeVisible();
  await editor.getByLabel("Grade").fill("6B+");
  await editor.getByRole("button", { name: "Save" }).click();
  const row = page.getByRole("row", { name: new RegExp(climb.name) });
  await expect(row).toContainText("6B+");
  await expect(row).toContainText(owner.name!);
  await expect(row).toContainText(moderator.name!);
  await expectAccessible(page);
  await screenshot(page, testInfo, "climbs");

  // The moderator sees the climb audit, but not the user administration actions.
  await page.goto("/admin/audit");
  await expect(page.getByText("As a moderator you see the entries about climbs.")).toBeVisible();
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Delete / })).toHaveCount(0);
});

test("a USER cannot reach the admin pages: 403, never data", async ({ page, baseURL }, testInfo) => {
  const user = await createAccount(baseURL!);
  await signInThroughForm(page, user.email, PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
  for (const path of ["/admin/users", "/admin/audit"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "403 — Not allowed" })).toBeVisible();
    await expect(page.getByText(ADMIN_EMAIL)).toHaveCount(0);
  }
  await expectAccessible(page);
  await screenshot(page, testInfo, "forbidden");
  // A USER can create a climb and edit it, but has no edit button on someone else's.
  await page.goto("/climbs");
  const create = page.getByRole("region", { name: "New climb" });
  await create.getByLabel("Name").fill(`Mine ${user.username}`);
  await create.getByLabel("Grade").fill("V3");
  await create.getByRole("button", { name: "Create climb" }).click();
  await expect(page.getByRole("button", { name: `Edit Mine ${user.username}` })).toBeVisible();
});

test("unauthenticated visits to protected pages go to sign-in and come back after it", async ({ page, baseURL }) => {
  const user = await createAccount(baseURL!);
  await page.goto("/climbs");
  await expect(page).toHaveURL(/\/login\?next=%2Fclimbs/);
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/climbs$/);
  await expect(page.getByRole("heading", { name: "Climbs", level: 1 })).toBeVisible();
});

test("security headers and cookie flags", async ({ page }) => {
  const response = await page.goto("/login");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
  const session = (await page.context().cookies()).find((cookie) => cookie.name === "next-auth.session-token");
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("the last administrator cannot delete their account: the invariant is explained", async ({ page }) => {
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
  await page.goto("/profile/delete");
  await page.getByRole("button", { name: "Delete my account…" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account for good?" });
  await dialog.getByLabel("Password").fill(ADMIN_PASSWORD);
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await expect(dialog.getByRole("alert")).toContainText("At least one active administrator must remain");
  await page.reload();
  await expect(page.locator("header .badge")).toHaveText("Administrator");
});

test("an admin unlocks a locked account, verifies its email and deletes it through the confirmation dialog", async ({
  page,
  baseURL,
}) => {
  const target = await createAccount(baseURL!);
  for (let attempt = 1; attempt <= 5; attempt++) {
    await trpcClient(baseURL!)
      .auth.login.mutate({ email: target.email, password: `Wrong-${attempt}-Guess-xx` })
      .catch(() => undefined);
  }
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`/admin/users?query=${target.username}`);
  const row = page.getByRole("row", { name: new RegExp(target.username) });
  await expect(row).toContainText("Locked until");
  await expect(row).toContainText("Email not verified");
  await row.getByRole("button", { name: `Unlock ${target.name}` }).click();
  await expect(row).not.toContainText("Locked until");
  await row.getByRole("button", { name: `Verify email of ${target.name}` }).click();
  await expect(row).not.toContainText("Email not verified");
  // The account signs in again now that it is unlocked.
  expect(
    tokensOf(await trpcClient(baseURL!).auth.login.mutate({ email: target.email, password: PASSWORD })).user.id,
  ).toBe(target.id);

  await row.getByRole("button", { name: `Delete ${target.name}` }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${target.name}?` });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: `Delete ${target.name}` }).click();
  await dialog.getByRole("button", { name: "Delete for good" }).click();
  await expect(page.getByRole("row", { name: new RegExp(target.username) })).toHaveCount(0);
});
