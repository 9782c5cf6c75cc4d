// The portal as people use it: settings pages, readable security data, the dialogs of
// destructive actions (keyboard only), dark mode, and the mails that follow a lockout or a
// deletion (a real SMTP server).
import type { Page } from "@playwright/test";
import { enableTwoFactor, tokensOf, totp, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";
import type { MailCatcher, ReceivedMail } from "../test/support/smtp";
import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm, uniqueName } from "./helpers";
import { mailedTest } from "./mailed";

/** The mails to `to` whose subject matches, once there is one. */
async function mailTo(mail: MailCatcher, to: string, subject: RegExp): Promise<ReceivedMail> {
  const matching = () => mail.messages.filter((message) => message.to.includes(to) && subject.test(message.subject));
  await expect.poll(() => matching().length, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  return matching()[0]!;
}

/** Presses Tab until `name`d control has the focus (at most 30 times). */
async function tabTo(page: Page, role: "button" | "textbox" | "link", name: string) {
  const target = page.getByRole(role, { name, exact: true });
  for (let presses = 0; presses < 30; presses++) {
    if (await target.evaluate((element) => element === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target).toBeFocused();
}

test("clients read as words: Chromium and the mastoc CLI, the raw user agent on hover", async ({ page, baseURL }) => {
  const user = await createAccount(baseURL!);
  const cli = trpcClient(baseURL!, { headers: { "user-agent": "mastoc-cli/1.4.2 (linux; x64; node v20.20.0)" } });
  await cli.auth.login.mutate({ email: user.email, password: PASSWORD });
  await signInThroughForm(page, user.username, PASSWORD);
  await page.goto("/profile#sessions");
  await expect(page).toHaveURL(/\/profile\/sessions$/);
  const sessions = page.getByRole("region", { name: "Sessions & devices" });
  await expect(sessions.getByRole("row", { name: /mastoc CLI 1\.4 on Linux \(app or CLI\)/ })).toBeVisible();
  const browser = sessions.getByRole("row", { name: /this session/ });
  await expect(browser).toContainText(/Chrome \d+ on Linux \(browser\)/);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await expect(browser.locator(`[title="${userAgent}"]`)).toBeVisible();
  await expect(browser.getByRole("time").first()).toHaveText("just now");
  await expectAccessible(page);
});

test("the settings menu: one page per section, a menu button on a phone, each page fits", async ({
  page,
  baseURL,
}, testInfo) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const user = await createAccount(baseURL!);
  await signInThroughForm(page, user.email, PASSWORD);
  await page.goto("/profile");
  const menu = page.getByRole("button", { name: "Settings: Account" });
  const sections = page.getByRole("navigation", { name: "Settings" });
  await expect(sections).toBeHidden();
  await menu.click();
  await expect(sections).toBeVisible();
  await sections.getByRole("link", { name: "Security activity" }).click();
  await expect(page).toHaveURL(/\/profile\/security-activity$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Security activity");
  await expect(page.getByRole("button", { name: "Settings: Security activity" })).toHaveAttribute(
    "aria-expanded",
    "false",
  );
  await screenshot(page, testInfo, "phone-settings-security-activity");
  // Desktop: the side menu is always there, the open section marked.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(sections.getByRole("link", { name: "Security activity" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("button", { name: /^Settings:/ })).toBeHidden();
});

test("dark mode follows the system, and the toggle's choice persists without a flash", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ colorScheme: "dark", baseURL });
  const page = await context.newPage();
  await page.goto("/login");
  const background = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(await background()).toBe("rgb(15, 18, 22)");
  const toggle = page.getByRole("button", { name: "Dark mode" });
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "false");
  expect(await background()).toBe("rgb(246, 247, 249)");
  // After a reload the server has written the choice into the page itself.
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.getAttribute("data-theme"))).toBe("light");
  expect(await background()).toBe("rgb(246, 247, 249)");
  await expectAccessible(page);
  await context.close();
});

test("the favicon and the logo are served from here", async ({ page, baseURL }) => {
  const icon = await page.request.get(`${baseURL}/favicon.ico`);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/image\//);
  await page.goto("/login");
  await expect(page.locator('link[rel="icon"][href*="icon.svg"]')).toHaveCount(1);
});

test("granting ADMIN needs the username typed out; the audit log is filtered by the actor's email", async ({
  page,
  baseURL,
}, testInfo) => {
  const target = await createAccount(baseURL!);
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`/admin/users/${target.id}`);
  await expect(page).toHaveTitle(new RegExp(`^${target.name} · Users`));
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-user-page");
  const role = page.getByLabel(`Role of ${target.name}`);
  await role.selectOption("ADMIN");
  const dialog = page.getByRole("dialog", { name: `Make ${target.name} an administrator?` });
  const confirm = dialog.getByRole("button", { name: "Change role to Administrator" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type the username/).fill("someone-else");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel(/Type the username/).fill(target.username);
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-grant-admin-dialog");
  await confirm.click();
  await expect(page.getByRole("status").filter({ hasText: `${target.name} is now an administrator.` })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: /^Administrator$/ })).toBeVisible();
  // Demote again (no typing needed to lower a role), so the portal keeps one bootstrap admin to test with.
  await role.selectOption("USER");
  await page
    .getByRole("dialog", { name: `Make ${target.name} a user?` })
    .getByRole("button", { name: "Change role to User" })
    .click();
  await expect(page.getByRole("status").filter({ hasText: `${target.name} is now a user.` })).toBeVisible();

  // The target's own actions, found by their email in the actor filter.
  await target.api.climbs.create.mutate({ name: `Filter ${target.username}`, grade: "6A" });
  await page.goto("/admin/audit");
  await page.getByLabel("Actor (email or username)").fill(target.email);
  await page.getByRole("button", { name: "Filter" }).click();
  const entries = page.getByRole("region", { name: "Audit log entries" });
  await expect(entries.getByRole("row", { name: /Climb added/ })).toBeVisible();
  await expect(entries.getByRole("link", { name: target.email }).first()).toHaveAttribute(
    "href",
    `/admin/users/${target.id}`,
  );
  await expect(entries.getByRole("row", { name: /Role changed/ })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, testInfo, "admin-audit-by-actor");
});

mailedTest.describe("with mail", () => {
  mailedTest(
    "deleting an account with 2FA takes a code, through the dialog by keyboard alone; a farewell follows",
    async ({ page, mailed }, testInfo) => {
      mailedTest.setTimeout(120_000);
      const url = mailed.portal.url;
      const name = uniqueName("bye");
      const email = `${name}@example.com`;
      await trpcClient(url).auth.register.mutate({ email, username: name, password: PASSWORD });
      const { secret, recoveryCodes } = await enableTwoFactor(url, email, PASSWORD);
      await page.goto("/login");
      await page.getByLabel("Email or username").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByLabel("Authentication code").fill(recoveryCodes[0]!);
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page).not.toHaveURL(/\/login/);

      await page.goto("/profile/delete");
      await tabTo(page, "button", "Delete my account…");
      const dialog = page.getByRole("dialog", { name: "Delete your account for good?" });
      // Enter before the page is hydrated does nothing: check, then press again (bounded).
      await expect(async () => {
        if (!(await dialog.isVisible())) await page.keyboard.press("Enter");
        await expect(dialog).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 15_000 });
      await expect(dialog.getByLabel("Password")).toBeFocused();
      // Escape closes it, and the focus goes back to the button.
      await page.keyboard.press("Escape");
      await expect(dialog).toBeHidden();
      await expect(page.getByRole("button", { name: "Delete my account…" })).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(dialog.getByLabel("Password")).toBeFocused();
      await page.keyboard.type(PASSWORD);
      // The focus stays inside the dialog: Tab from its last control comes back to its first.
      for (let presses = 0; presses < 4; presses++) await page.keyboard.press("Tab");
      await expect(dialog.getByLabel("Password")).toBeFocused();
      await page.keyboard.press("Enter");
      await expect(
        dialog.getByText("Enter a code from your authenticator app or a recovery code, or use a passkey"),
      ).toBeVisible();
      await expectAccessible(page);
      await screenshot(page, testInfo, "delete-account-code-needed");
      await dialog.getByLabel("Authenticator code or recovery code").focus();
      await page.keyboard.type(await totp(secret, 1));
      await page.keyboard.press("Enter");

      await expect(page).toHaveURL(/\/goodbye$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account is deleted");
      await expect(page).toHaveTitle(/^Account deleted/);
      const farewell = await mailTo(mailed.mail, email, /Your mastoc account was deleted/);
      expect(farewell.text).toContain(name);
      await screenshot(page, testInfo, "goodbye");
    },
  );

  mailedTest("a lockout mails the account's owner, with a reset link", async ({ page, mailed }) => {
    const url = mailed.portal.url;
    const name = uniqueName("locked");
    const email = `${name}@example.com`;
    await trpcClient(url).auth.register.mutate({ email, username: name, password: PASSWORD });
    await page.goto("/login");
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel("Email or username").fill(name);
      await page.getByLabel("Password").fill(`Wrong-Guess-${attempt}-zz`);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await expect(page.locator("main").getByRole("alert")).toHaveText("Invalid email or password");
    }
    const mail = await mailTo(mailed.mail, email, /locked after failed sign-ins/);
    expect(mail.text).toMatch(/Last attempt from: .+ \(.*Chrome \d+ on Linux\)/);
    const link = /https?:\/\/\S+\/reset-password\?token=\S+/.exec(mail.text)![0];
    await page.goto(link.replace(/^https?:\/\/[^/]+/, ""));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Choose a new password");
    // The failed guesses have no actor: the account is their target.
    const admin = tokensOf(await trpcClient(url).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }));
    const user = (await trpcClient(url, { token: admin.access_token }).admin.listUsers.query({ query: email }))
      .items[0]!;
    const entries = await trpcClient(url, { token: admin.access_token }).audit.list.query({
      action: "auth.login.failure",
      targetId: user.id,
    });
    expect(entries.items).toHaveLength(5);
    for (const entry of entries.items) expect(entry.actorId).toBeNull();
  });
});

test("a role changes by keyboard alone: the dialog takes the focus, Escape cancels, Enter confirms", async ({
  page,
  baseURL,
}) => {
  const target = await createAccount(baseURL!);
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  const role = page.getByLabel(`Role of ${target.name}`);
  const toModerator = page.getByRole("dialog", { name: `Make ${target.name} a moderator?` });
  // A key pressed before the page is hydrated changes nothing the page knows of: load it again.
  await expect(async () => {
    await page.goto(`/admin/users/${target.id}`);
    await role.focus();
    await page.keyboard.press("ArrowDown");
    await expect(toModerator).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(toModerator.getByRole("button", { name: "Change role to Moderator" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(toModerator).toBeHidden();
  await expect(role).toBeFocused();
  await expect(role).toHaveValue("USER");

  await page.keyboard.press("ArrowDown");
  await expect(toModerator.getByRole("button", { name: "Change role to Moderator" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `${target.name} is now a moderator.` })).toBeVisible();

  // ADMIN asks for the username typed out before its button does anything.
  const toAdmin = page.getByRole("dialog", { name: `Make ${target.name} an administrator?` });
  await expect(role).toHaveValue("MODERATOR");
  // The list refreshes after a change (the select is disabled meanwhile): press again until it opens.
  await expect(async () => {
    if (!(await toAdmin.isVisible())) {
      await role.focus();
      await page.keyboard.press("ArrowDown");
    }
    await expect(toAdmin).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
  await expect(toAdmin.getByLabel(/Type the username/)).toBeFocused();
  await page.keyboard.type(target.username);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: `${target.name} is now an administrator.` })).toBeVisible();
  await expectAccessible(page);
});

test("climbs: a grade range on the scale's order, a multi-line description, a duplicate name said", async ({
  page,
  baseURL,
}, testInfo) => {
  const user = await createAccount(baseURL!);
  const tag = uniqueName("range");
  for (const grade of ["6A", "7A", "7A+", "7B"])
    await user.api.climbs.create.mutate({ name: `${tag} ${grade}`, grade });
  await signInThroughForm(page, user.email, PASSWORD);
  await page.goto(`/climbs?${new URLSearchParams({ query: tag, gradeFrom: "6A", gradeTo: "7A+" })}`);
  const list = page.getByRole("region", { name: "Climb list" });
  await expect(list.locator("tbody tr")).toHaveCount(3);
  await expect(list).toContainText(`${tag} 7A+`);
  await expect(list).not.toContainText(`${tag} 7B`);
  await page.goto(`/climbs?${new URLSearchParams({ query: tag, gradeFrom: "7A", gradeTo: "V3" })}`);
  await expect(page.locator("main").getByRole("alert").filter({ hasText: "same scale" })).toBeVisible();

  // The form sits above the list; the description keeps its lines; a taken name is pointed out.
  await page.goto("/climbs");
  const create = page.getByRole("region", { name: "New climb" });
  await create.getByLabel("Name").fill(`${tag} 7A`);
  await expect(create.getByRole("status")).toContainText(`A climb named ${tag} 7A (7A) already exists`);
  await create.getByLabel("Name").fill(`${tag} new`);
  await expect(create.getByRole("status")).toHaveCount(0);
  await create.getByLabel("Grade").fill("6B");
  await create.getByLabel("Description").fill("Sit start.\nTop out left.");
  await create.getByRole("button", { name: "Create climb" }).click();
  await page.goto(`/climbs?query=${encodeURIComponent(`${tag} new`)}`);
  const description = page.getByRole("region", { name: "Climb list" }).getByText("Sit start.");
  await expect(description).toHaveCSS("white-space", "pre-line");
  await expectAccessible(page);
  await screenshot(page, testInfo, "climbs-range");
});
