import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import { cookies } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { Providers } from "@/lib/trpc";
import { getConfig } from "@mastoc/api";
import { currentUser } from "@/identity/caller";
import { hasSecondFactor } from "@/identity/require-user";
import { SignOutButton } from "./sign-out-button";
import { VerifyEmailBanner } from "./verify-email-banner";
import { NavLink, SiteMenu } from "./site-menu";
import { ThemeToggle } from "./theme-toggle";
import { LanguageSwitcher } from "./language-switcher";
import { TimeZoneSync } from "./time-zone-sync";
import { THEME_COOKIE, THEMES, type Theme } from "../lib/theme";
import "./globals.css";
import { Avatar } from "@/components/avatar";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("layout");
  return { title: { default: "mastoc accounts", template: "%s · mastoc accounts" }, description: t("description") };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [user, locale, t] = await Promise.all([currentUser(), getLocale(), getTranslations("layout")]);
  // Administrators are asked to protect their account with a second factor until they have one.
  const adminWithoutSecondFactor = user?.role === "ADMIN" && !(await hasSecondFactor());
  const cookie = (await cookies()).get(THEME_COOKIE)?.value;
  const theme = cookie && THEMES.includes(cookie) ? (cookie as Theme) : null;
  return (
    <html lang={locale} data-theme={theme ?? undefined}>
      <body>
        <NextIntlClientProvider>
          <Providers>
            <a href="#content" className="skip-link">
              {t("skipToContent")}
            </a>
            <header className="site">
              <Link href="/" className="brand">
                <Logo />
                mastoc accounts
              </Link>
              {user ? (
                <SiteMenu>
                  <nav aria-label={t("mainNavigation")}>
                    <NavLink href="/profile" section>
                      {t("nav.settings")}
                    </NavLink>
                    <NavLink href="/climbs">{t("nav.climbs")}</NavLink>
                    {user.permissions["stats.climbs"] && <NavLink href="/admin">{t("nav.dashboard")}</NavLink>}
                    {user.permissions["users.read"] && <NavLink href="/admin/users">{t("nav.users")}</NavLink>}
                    {user.permissions["audit.readClimbs"] && <NavLink href="/admin/audit">{t("nav.audit")}</NavLink>}
                    {user.permissions["oauthClients.manage"] && (
                      <NavLink href="/admin/clients">{t("nav.clients")}</NavLink>
                    )}
                  </nav>
                  <div className="who">
                    <span className="identity">
                      <Avatar user={user} small />
                      <span>
                        {t.rich("signedInAs", {
                          name: user.name ?? user.username,
                          strong: (chunks) => <strong>{chunks}</strong>,
                        })}{" "}
                        <span className="badge">{t(`roles.${user.role}`)}</span>
                      </span>
                    </span>
                    <LanguageSwitcher signedIn />
                    <ThemeToggle chosen={theme} />
                    <SignOutButton />
                  </div>
                </SiteMenu>
              ) : (
                <div className="who">
                  <Link href="/login">{t("signIn")}</Link>
                  <Link href="/register">{t("createAccount")}</Link>
                  <LanguageSwitcher signedIn={false} />
                  <ThemeToggle chosen={theme} />
                </div>
              )}
            </header>
            <main id="content">
              {user && !user.timeZone && <TimeZoneSync />}
              {user && !user.emailVerified && <VerifyEmailBanner email={user.email} />}
              {adminWithoutSecondFactor && (
                <aside className="banner" aria-label={t("secondFactor.label")}>
                  <p>
                    {t.rich("secondFactor.text", { strong: (chunks) => <strong>{chunks}</strong> })}
                    {getConfig().REQUIRE_ADMIN_2FA && ` ${t("secondFactor.required")}`}
                  </p>
                  <Link href="/profile/security">{t("secondFactor.action")}</Link>
                </aside>
              )}
              {children}
            </main>
          </Providers>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
