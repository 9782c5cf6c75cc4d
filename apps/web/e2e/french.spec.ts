// The portal in French: a browser asking for French gets every page in French (lang="fr", axe
// clean), the switcher changes the language before and after signing in and the choice follows
// the account to other browsers, and times read in each reader's own time zone.
import type { Browser, Page, TestInfo } from "@playwright/test";
import { resetLinkIn } from "../test/support/smtp";
import { totp } from "../test/support/clients";
import { expect, test } from "./fixtures";
import { createAccount, expectAccessible, PASSWORD, uniqueName } from "./helpers";
import { mailedTest } from "./mailed";

const FRENCH = { locale: "fr-FR", timezoneId: "Europe/Paris" } as const;

/** The page is French, accessible, and its screenshot is attached to the report. */
async function checkFrench(page: Page, testInfo: TestInfo, name: string, heading: RegExp) {
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
  await expectAccessible(page);
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

async function signInInFrench(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Adresse e-mail ou nom d’utilisateur").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
}

mailedTest.describe("in French", () => {
  mailedTest.use(FRENCH);

  mailedTest(
    "register, a wrong password, a reset through the mailed link, two-factor authentication",
    async ({ page, mailed }, testInfo) => {
      mailedTest.setTimeout(180_000);
      const name = uniqueName("fr");
      const email = `${name}@example.com`;

      await page.goto("/register");
      await checkFrench(page, testInfo, "inscription", /^Créer un compte$/);
      await page.getByLabel("Adresse e-mail").fill(email);
      await page.getByLabel("Nom d’utilisateur").fill(name);
      await page.getByLabel("Mot de passe").fill(PASSWORD);
      await page.getByRole("button", { name: "Créer le compte" }).click();
      await expect(page).toHaveURL(/\/profile\?welcome=1$/);
      await expect(page.getByRole("status").first()).toContainText("Bienvenue sur mastoc");
      await checkFrench(page, testInfo, "compte", new RegExp(name));

      await page.getByRole("button", { name: "Se déconnecter" }).click();
      await expect(page).toHaveURL(/\/login/);
      await signInInFrench(page, email, "Not-The-Right-Password-1");
      await expect(page.locator("main").getByRole("alert")).toHaveText(/^Adresse e-mail ou mot de passe incorrect/);
      await checkFrench(page, testInfo, "mauvais-mot-de-passe", /^Se connecter$/);

      await page.getByRole("link", { name: /^Mot de passe oublié\s\?$/ }).click();
      await checkFrench(page, testInfo, "mot-de-passe-oublie", /^Mot de passe oublié\s\?$/);
      await page.getByLabel("Adresse e-mail").fill(email);
      await page.getByRole("button", { name: "Envoyer le lien" }).click();
      await expect(page.getByRole("status")).toBeVisible();
      await page.goto(resetLinkIn(await mailed.mail.waitFor(email, /password|mot de passe/i)));
      await checkFrench(page, testInfo, "nouveau-mot-de-passe", /^Choisir un nouveau mot de passe$/);
      const newPassword = "Fresh-Start-Highball-61";
      await page.getByLabel("Nouveau mot de passe").fill(newPassword);
      await page.getByRole("button", { name: "Enregistrer le nouveau mot de passe" }).click();
      await expect(page).toHaveURL(/\/login\?reset=1/);
      await expect(page.getByRole("status")).toHaveText(
        "Votre mot de passe a été changé. Connectez-vous avec le nouveau.",
      );

      await signInInFrench(page, email, newPassword);
      await expect(page).toHaveURL(/\/profile$/);
      await page.goto("/profile/security");
      const section = page.getByRole("region", { name: "Authentification à deux facteurs" });
      await section.getByLabel("Mot de passe, pour confirmer").fill(newPassword);
      await section.getByRole("button", { name: "Configurer l’authentification à deux facteurs" }).click();
      const secret = (await section.getByTestId("totp-secret").textContent())!;
      await checkFrench(page, testInfo, "configuration-2fa", /^Sécurité$/);
      await section.getByLabel("Code de l’application").fill(await totp(secret));
      await section.getByRole("button", { name: "Activer" }).click();
      await expect(section.getByRole("list", { name: "Codes de récupération" }).getByRole("listitem")).toHaveCount(10);
      await section.getByRole("button", { name: "Je les ai enregistrés" }).click();
      await expect(section).toContainText("10 codes de récupération restants.");

      await page.context().clearCookies();
      await signInInFrench(page, email, newPassword);
      const code = page.getByLabel("Code d’authentification");
      await expect(code).toBeFocused();
      await expect(page.getByRole("heading", { name: "Authentification à deux facteurs" })).toBeVisible();
      await expectAccessible(page);
      await testInfo.attach("connexion-2fa", {
        body: await page.screenshot({ fullPage: true }),
        contentType: "image/png",
      });
      await code.fill(await totp(secret, 1));
      await page.getByRole("button", { name: "Vérifier" }).click();
      await expect(page).toHaveURL(/\/profile$/);

      await page.goto("/profile/sessions");
      const current = page.getByRole("row").filter({ hasText: "cette session" });
      await expect(current.getByRole("time").first()).toHaveText(/^(à l’instant|il y a \d+ minutes?)$/);
      await expect(current).toContainText(/Chrome \d+ sur Linux/);
      await checkFrench(page, testInfo, "sessions", /^Sessions et appareils$/);
    },
  );
});

test.describe("in French, staff pages", () => {
  test.use(FRENCH);

  test("an administrator reads the users page in French", async ({ page, baseURL }, testInfo) => {
    const admin = await createAccount(baseURL!, "ADMIN");
    await admin.api.users.updateMe.mutate({ locale: "fr", timeZone: "Europe/Paris" });
    await signInInFrench(page, admin.email, PASSWORD);
    await expect(page).toHaveURL(/\/profile$/);
    await page.goto("/admin/users");
    await checkFrench(page, testInfo, "utilisateurs", /^Utilisateurs$/);
    await expect(page).toHaveTitle(/^Utilisateurs · mastoc accounts$/);
    const own = page.getByRole("row").filter({ hasText: admin.email });
    await expect(own.getByRole("cell", { name: "Administrateur", exact: true })).toBeVisible();
    await expect(own.getByText("Vous", { exact: true })).toBeVisible();
    await page.goto("/admin/audit");
    await checkFrench(page, testInfo, "journal-audit", /^Journal d’audit$/);
    await expect(page.getByRole("cell", { name: "Rôle modifié" }).first()).toBeVisible();
  });
});

test("the switcher changes the language before and after signing in, and the account keeps it", async ({
  browser,
  baseURL,
}) => {
  const account = await createAccount(baseURL!);
  const english = { locale: "en-US", baseURL };
  const first = await browser.newContext(english);
  const page = await first.newPage();

  await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  await page.getByLabel("Language", { exact: true }).selectOption("fr");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Se connecter");

  await signInInFrench(page, account.email, PASSWORD);
  await expect(page).toHaveURL(/\/profile$/);
  // The header's switcher, whatever language the account had.
  const switcher = page.locator("header .language-switcher select");
  await switcher.selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("navigation", { name: "Main" })).toContainText("Settings");
  await switcher.selectOption("fr");
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("navigation", { name: "Navigation principale" })).toContainText("Paramètres");
  await first.close();

  // Another browser, asking for English: once signed in, the account's French wins.
  const second = await browser.newContext(english);
  const other = await second.newPage();
  await other.goto("/login");
  await expect(other.locator("html")).toHaveAttribute("lang", "en");
  await other.getByLabel("Email or username").fill(account.email);
  await other.getByLabel("Password").fill(PASSWORD);
  await other.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(other).toHaveURL(/\/profile$/);
  await expect(other.locator("html")).toHaveAttribute("lang", "fr");
  await expect(other.getByRole("heading", { name: "Langue et fuseau horaire" })).toBeVisible();
  await second.close();
});

/** A page of a browser in `timezoneId`, signed in as `email`. */
async function signedIn(browser: Browser, baseURL: string, timezoneId: string, locale: string, email: string) {
  const context = await browser.newContext({ baseURL, timezoneId, locale });
  const page = await context.newPage();
  await page.goto("/login");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(PASSWORD);
  await page.locator("form button[type=submit]").click();
  await expect(page).toHaveURL(/\/profile$/);
  return page;
}

/** "14:03": the hours and minutes of `iso` in `timeZone`, as `locale` writes them. */
const clock = (iso: string, timeZone: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone })
    .format(new Date(iso))
    .match(/\d\d:\d\d/)![0];

test("one sign-in, read in Montreal and in Paris at each reader's own time", async ({ browser, baseURL }) => {
  const climber = await createAccount(baseURL!);
  const montreal = await signedIn(browser, baseURL!, "America/Montreal", "en-US", climber.email);
  // The first sign-in saves the browser's time zone on the account (Chromium names Montreal's zone
  // by its canonical ICU name, America/Toronto); Settings → Account shows it chosen.
  await expect.poll(async () => (await climber.api.auth.me.query()).timeZone).toMatch(/^America\/(Montreal|Toronto)$/);
  const saved = (await climber.api.auth.me.query()).timeZone!;
  await montreal.reload();
  await expect(montreal.getByLabel("Time zone", { exact: true })).toHaveValue(saved);
  await montreal.goto("/profile/sessions");
  const ownRow = montreal.getByRole("row").filter({ hasText: "this session" });
  const signedInAt = ownRow.getByRole("time").first();
  const iso = (await signedInAt.getAttribute("datetime"))!;
  await expect(signedInAt).toHaveAttribute("title", new RegExp(clock(iso, "America/Montreal", "en-US")));

  const admin = await createAccount(baseURL!, "ADMIN");
  await admin.api.users.updateMe.mutate({ locale: "fr", timeZone: "Europe/Paris" });
  const paris = await signedIn(browser, baseURL!, "Europe/Paris", "fr-FR", admin.email);
  await paris.goto(`/admin/users/${climber.id}`);
  const sessions = paris.getByRole("region", { name: "Sessions", exact: true });
  const sameSignIn = sessions.locator(`time[datetime="${iso}"]`).first();
  await expect(sameSignIn).toHaveAttribute("title", new RegExp(clock(iso, "Europe/Paris", "fr-FR")));
  expect(clock(iso, "Europe/Paris", "fr-FR")).not.toBe(clock(iso, "America/Montreal", "en-US"));
  await montreal.context().close();
  await paris.context().close();
});
