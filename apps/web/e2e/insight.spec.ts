import { readFile } from "node:fs/promises";
import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, screenshot, signInThroughForm } from "./helpers";
import { httpStatusOf, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";

const SECURITY_CHARTS = ["Sign-ins", "Failed sign-ins", "Lockouts", "Registrations", "Password resets"];
const CLIMB_CHARTS = ["Climbs added", "Climbs edited", "Climbs deleted"];

test("an administrator reads the dashboard: tiles, one chart per series, a period selector, top failing addresses", async ({
  page,
  baseURL,
}, testInfo) => {
  const target = await createAccount(baseURL!);
  // A failed sign-in, so that the failure chart and the address list have something to show.
  expect(
    await httpStatusOf(trpcClient(baseURL!).auth.login.mutate({ email: target.email, password: "not-the-password-1" })),
  ).toBe(401);

  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Dashboard", level: 1 })).toBeVisible();

  const totals = page.getByRole("list", { name: "Account totals" });
  await expect(totals.getByRole("listitem")).toHaveCount(7);
  await expect(totals.getByRole("link", { name: /Users/ })).toBeVisible();
  for (const title of [...SECURITY_CHARTS, ...CLIMB_CHARTS]) {
    const chart = page.getByRole("figure", { name: new RegExp(`^${title} ·`) });
    await expect(chart.getByRole("img")).toHaveAttribute("aria-label", new RegExp(`^${title}: `));
    await expect(chart.locator("rect.bar")).toHaveCount(30);
  }
  await expect(page.getByRole("figure", { name: /^Failed sign-ins ·/ }).getByRole("img")).toHaveAttribute(
    "aria-label",
    /^Failed sign-ins: \d+ failures? in 30 days, at most \d+ on [A-Z][a-z]+ \d{1,2}, \d{4}$/,
  );
  const addresses = page.getByRole("table", { name: /most failed sign-ins/ });
  await expect(addresses.getByRole("row")).not.toHaveCount(1);
  await expectAccessible(page);
  await screenshot(page, testInfo, "dashboard-30-days");

  // The period selector.
  await page.getByRole("navigation", { name: "Period" }).getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/\/admin\?days=7$/);
  await expect(page.getByRole("link", { name: "7 days", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("figure", { name: /^Sign-ins ·/ }).locator("rect.bar")).toHaveCount(7);
  await expect(page.getByRole("list", { name: "Account totals" })).toContainText("Active in 7 days");
  await expectAccessible(page);
  await screenshot(page, testInfo, "dashboard-7-days");

  // A tile leads to the filtered users; a chart to the matching audit entries.
  await page.getByRole("link", { name: /Unverified emails/ }).click();
  await expect(page).toHaveURL(/\/admin\/users\?security=unverified$/);
  await expect(page.getByLabel("Security")).toHaveValue("unverified");
  await page.goBack();
  await page
    .getByRole("figure", { name: /^Failed sign-ins ·/ })
    .getByRole("link", { name: "Failed sign-ins" })
    .click();
  await expect(page).toHaveURL(/\/admin\/audit\?action=auth\.login\.failure&from=/);
  await expect(page.getByRole("cell", { name: "Failed sign-in (wrong password)" }).first()).toBeVisible();
});

test("the audit page exports the filtered entries as CSV with the browser's session", async ({ page, baseURL }) => {
  const target = await createAccount(baseURL!);
  await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto(`/admin/audit?targetId=${target.id}`);
  await expect(page.getByRole("cell", { name: "Account created" })).toBeVisible();
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^mastoc-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await file.path())!, "utf8")).trimEnd().split("\r\n");
  expect(lines[0]).toBe("createdAt,action,actorId,actorEmail,targetType,targetId,ip,userAgent,changes");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain(target.id);
  expect(lines.some((line) => line.includes(",user.register,"))).toBe(true);

  // Without a session, the export link sends the browser to sign in.
  await page.context().clearCookies();
  const answer = await page.request.get(`/admin/audit/export?format=csv`, { maxRedirects: 0 });
  expect(answer.status()).toBe(303);
  expect(answer.headers().location).toBe("/login?next=%2Fadmin%2Faudit");
});

test("a moderator's dashboard shows the climbs side only", async ({ page, baseURL }) => {
  const moderator = await createAccount(baseURL!, "MODERATOR");
  await moderator.api.climbs.create.mutate({ name: `Dihedral ${moderator.username}`, grade: "6A" });
  await signInThroughForm(page, moderator.email, PASSWORD);
  await page.goto("/admin?days=90");
  await expect(page.getByRole("heading", { name: "Climbs", level: 2 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Accounts and security" })).toHaveCount(0);
  await expect(page.getByRole("list", { name: "Account totals" })).toHaveCount(0);
  await expect(page.getByRole("figure", { name: /^Climbs added ·/ }).locator("rect.bar")).toHaveCount(90);
  await expectAccessible(page);
});

test("the profile lists the user's own security activity", async ({ page, baseURL }, testInfo) => {
  const account = await createAccount(baseURL!);
  await signInThroughForm(page, account.email, PASSWORD);
  // The address of the single-page profile of old still leads there.
  await page.goto("/profile#security-activity");
  await expect(page).toHaveURL(/\/profile\/security-activity$/);
  const section = page.getByRole("region", { name: "Security activity" });
  // Chromium is named as a browser, with the raw user agent on hover; the method is in words.
  const browserSignIn = section
    .getByRole("row")
    .filter({ hasText: "Signed in with password" })
    .filter({ hasText: /Chrome \d+ on Linux \(browser\)/ });
  await expect(browserSignIn.first()).toBeVisible();
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await expect(browserSignIn.first().locator(`[title="${userAgent}"]`)).toBeVisible();
  // The API sign-in of the account's creation is listed too, as an app.
  await expect(section.getByRole("row").filter({ hasText: "(app or CLI)" }).first()).toBeVisible();
  await expect(section.getByRole("time").first()).toHaveAttribute("title", /\d{4}, \d\d:\d\d [AP]M \S+$/);
  await expect(section).not.toContainText(ADMIN_EMAIL);
  await expectAccessible(page);
  await screenshot(page, testInfo, "profile-security-activity");
});
