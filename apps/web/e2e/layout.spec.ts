import type { Page } from "@playwright/test";
import { tokensOf, trpcClient } from "../test/support/clients";
import { ADMIN_EMAIL, ADMIN_PASSWORD } from "../test/support/portal";
import { expect, test } from "./fixtures";
import {
  createAccount,
  expectAccessible,
  expectNoHorizontalScroll,
  openMenu,
  PASSWORD,
  screenshot,
  signInThroughForm,
  uniqueName,
} from "./helpers";

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844 },
  { name: "desktop", width: 1280, height: 800 },
] as const;
type Viewport = (typeof VIEWPORTS)[number];

type Visit = { path: string; heading?: string; status?: number; title?: RegExp };
const SCHEMES = ["light", "dark"] as const;

const SIGNED_OUT: Visit[] = [
  { path: "/", heading: "Sign in" },
  { path: "/login", heading: "Sign in" },
  { path: "/register", heading: "Create an account" },
  { path: "/forgot-password", heading: "Forgot your password?" },
  { path: "/reset-password?token=from-the-email", heading: "Choose a new password" },
  { path: "/reset-password", heading: "Choose a new password" },
  { path: "/goodbye", heading: "Your account is deleted" },
  { path: "/no-such-page", heading: "Page not found", status: 404, title: /^Page not found \(404\)/ },
];

const ADMIN: Visit[] = [
  { path: "/" },
  { path: "/profile", title: /^Account · Settings/ },
  { path: "/profile/security", heading: "Security", title: /^Security · Settings/ },
  { path: "/profile/sessions", heading: "Sessions & devices", title: /^Sessions & devices · Settings/ },
  { path: "/profile/security-activity", heading: "Security activity", title: /^Security activity · Settings/ },
  { path: "/profile/api-keys", heading: "API keys", title: /^API keys · Settings/ },
  { path: "/profile/delete", heading: "Delete account", title: /^Delete account · Settings/ },
  { path: "/climbs", heading: "Climbs" },
  { path: "/admin", heading: "Dashboard" },
  { path: "/admin/users", heading: "Users" },
  { path: "/admin/audit", heading: "Audit log" },
  { path: "/no-such-page", heading: "Page not found", status: 404, title: /^Page not found \(404\)/ },
];

const slug = (path: string) => path.replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "start";

/** Opens the page, checks its status and heading, its width and axe; saves a screenshot. */
async function visitPage(page: Page, visit: Visit, shot: (name: string) => Promise<void>) {
  const response = await page.goto(visit.path);
  expect(response?.status(), visit.path).toBe(visit.status ?? 200);
  const heading = page.getByRole("heading", { level: 1 });
  if (visit.heading) await expect(heading).toHaveText(visit.heading);
  else await expect(heading).toBeVisible();
  if (visit.title) await expect(page).toHaveTitle(visit.title);
  await expectNoHorizontalScroll(page);
  await expectAccessible(page);
  await shot(slug(visit.path));
}

/**
 * Sign out is on screen, directly on a desktop and one click away behind the menu on a phone,
 * where the open menu must not widen the page either; Escape closes it again.
 */
async function expectSignOutReachable(page: Page, viewport: Viewport) {
  const signOut = page.getByRole("button", { name: "Sign out", exact: true });
  const menu = page.getByRole("button", { name: "Menu" });
  if (viewport.name === "desktop") {
    await expect(menu).toBeHidden();
    await expect(signOut).toBeVisible();
    return;
  }
  await expect(signOut).toBeHidden();
  await openMenu(page);
  await expect(signOut).toBeVisible();
  await expect(signOut).toBeEnabled();
  await expectNoHorizontalScroll(page);
  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(signOut).toBeHidden();
}

/** Content that widens tables: a long unbroken climb name, and its audit entries. */
async function seedWideContent(baseURL: string) {
  const admin = tokensOf(await trpcClient(baseURL).auth.login.mutate({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }));
  const api = trpcClient(baseURL, { token: admin.access_token });
  const name = `Traversée-intégrale-du-Bas-Cuvier-sans-poser-le-pied-${uniqueName()}`;
  const climb = await api.climbs.create.mutate({ name, grade: "7A+", description: "Start sitting, hands low." });
  await api.climbs.update.mutate({ id: climb.id, description: `${"Crimp, ".repeat(40)}top out.` });
  await api.apiKeys.create.mutate({ name: `nightly-backup-of-the-whole-climb-database-${uniqueName()}` });
}

for (const viewport of VIEWPORTS)
  for (const scheme of SCHEMES) {
    test.describe(`${viewport.name}, ${viewport.width} px wide, ${scheme}`, () => {
      test.use({ viewport: { width: viewport.width, height: viewport.height }, colorScheme: scheme });
      // Each of these visits several pages, with an axe scan and a full-page screenshot each.
      test.slow();

      test("signed-out pages fit the screen, offer Sign in and Create account, and pass axe", async ({
        page,
      }, testInfo) => {
        const banner = page.getByRole("banner");
        for (const visit of SIGNED_OUT) {
          await visitPage(page, visit, (name) => screenshot(page, testInfo, `${viewport.name}-${scheme}-${name}`));
          await expect(banner.getByRole("link", { name: "Sign in" })).toBeVisible();
          await expect(banner.getByRole("link", { name: "Create account" })).toBeVisible();
        }
        await banner.getByRole("link", { name: "Create account" }).click();
        await expect(page).toHaveURL(/\/register$/);
        await banner.getByRole("link", { name: "Sign in" }).click();
        await expect(page).toHaveURL(/\/login$/);
      });

      test("an administrator's pages fit the screen, keep Sign out reachable, and pass axe", async ({
        page,
        baseURL,
      }, testInfo) => {
        await seedWideContent(baseURL!);
        await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
        for (const visit of ADMIN) {
          await visitPage(page, visit, (name) =>
            screenshot(page, testInfo, `${viewport.name}-${scheme}-admin-${name}`),
          );
          await expectSignOutReachable(page, viewport);
        }

        // The audit log is the widest table: on a phone its rows become cards (every column
        // shown, under its name), on a desktop it fits its card; it never scrolls sideways.
        await page.goto("/admin/audit?action=climb.");
        const entries = page.getByRole("region", { name: "Audit log entries" });
        const overflow = () => entries.evaluate((element) => element.scrollWidth - element.clientWidth);
        expect(await overflow()).toBeLessThanOrEqual(0);
        const firstRow = entries.locator("tbody tr").first();
        for (const column of ["When", "Action", "Actor", "Target", "From", "Changes"]) {
          await expect(firstRow.locator(`td[data-label="${column}"]`)).toBeVisible();
        }
        if (viewport.name === "phone") {
          await expect(entries.locator("thead")).toHaveCSS("position", "absolute");
        }
        await expectNoHorizontalScroll(page);
        await screenshot(page, testInfo, `${viewport.name}-${scheme}-admin-audit-climbs`);

        if (viewport.name === "phone") await openMenu(page);
        await page.getByRole("button", { name: "Sign out", exact: true }).click();
        await expect(page).toHaveURL(/\/login/);
        await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
      });

      test("a USER on an admin page gets the 403 page, which fits the screen too", async ({
        page,
        baseURL,
      }, testInfo) => {
        const user = await createAccount(baseURL!);
        await signInThroughForm(page, user.email, PASSWORD);
        const forbidden = {
          path: "/admin/users",
          heading: "403 — Not allowed",
          status: 403,
          title: /^Not allowed \(403\)/,
        };
        await visitPage(page, forbidden, (name) =>
          screenshot(page, testInfo, `${viewport.name}-${scheme}-forbidden-${name}`),
        );
        await expectSignOutReachable(page, viewport);
      });
    });
  }

test.describe("phone header menu", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("opens and closes by mouse and keyboard, follows a link, and signs out", async ({ page, baseURL }, testInfo) => {
    const user = await createAccount(baseURL!);
    await signInThroughForm(page, user.email, PASSWORD);
    const menu = page.getByRole("button", { name: "Menu" });
    const main = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(main).toBeHidden();

    await openMenu(page);
    await expect(main.getByRole("link", { name: "Settings" })).toHaveAttribute("aria-current", "page");
    await expectAccessible(page);
    await screenshot(page, testInfo, "phone-menu-open");
    await main.getByRole("link", { name: "Climbs" }).click();
    await expect(page).toHaveURL(/\/climbs$/);
    await expect(menu).toHaveAttribute("aria-expanded", "false");

    // Keyboard: Enter opens, Escape closes and gives the focus back to the button.
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(main.getByRole("link", { name: "Climbs" })).toHaveAttribute("aria-current", "page");
    await page.keyboard.press("Tab");
    await expect(main.getByRole("link", { name: "Settings" })).toBeFocused();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();

    // A click outside closes it too.
    await openMenu(page);
    await page.getByRole("heading", { name: "Climbs", level: 1 }).click();
    await expect(menu).toHaveAttribute("aria-expanded", "false");

    await openMenu(page);
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
    await page.goto("/profile");
    await expect(page).toHaveURL(/\/login\?next=%2Fprofile/);
  });
});
