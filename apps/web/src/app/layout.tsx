import type { Metadata } from "next";
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
import { THEME_COOKIE, THEMES, type Theme } from "../lib/theme";
import "./globals.css";

export const metadata: Metadata = { title: "mastoc accounts", description: "Your mastoc account" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // Administrators are asked to protect their account with a second factor until they have one.
  const adminWithoutSecondFactor = user?.role === "ADMIN" && !(await hasSecondFactor());
  const cookie = (await cookies()).get(THEME_COOKIE)?.value;
  const theme = cookie && THEMES.includes(cookie) ? (cookie as Theme) : null;
  return (
    <html lang="en" data-theme={theme ?? undefined}>
      <body>
        <a href="#content" className="skip-link">
          Skip to content
        </a>
        <header className="site">
          <Link href="/" className="brand">
            <Logo />
            mastoc accounts
          </Link>
          {user ? (
            <SiteMenu>
              <nav aria-label="Main">
                <NavLink href="/profile" section>
                  Settings
                </NavLink>
                <NavLink href="/climbs">Climbs</NavLink>
                {user.permissions["stats.climbs"] && <NavLink href="/admin">Dashboard</NavLink>}
                {user.permissions["users.read"] && <NavLink href="/admin/users">Users</NavLink>}
                {user.permissions["audit.readClimbs"] && <NavLink href="/admin/audit">Audit log</NavLink>}
              </nav>
              <div className="who">
                <span className="identity">
                  {user.image ? (
                    <img className="avatar small" src={user.image} alt="" width={28} height={28} />
                  ) : (
                    <span className="avatar small initials" aria-hidden="true">
                      {(user.name ?? user.username).slice(0, 1).toUpperCase()}
                    </span>
                  )}
                  <span>
                    Signed in as <strong>{user.name ?? user.username}</strong>{" "}
                    <span className="badge">{user.role}</span>
                  </span>
                </span>
                <ThemeToggle chosen={theme} />
                <SignOutButton />
              </div>
            </SiteMenu>
          ) : (
            <div className="who">
              <Link href="/login">Sign in</Link>
              <Link href="/register">Create account</Link>
              <ThemeToggle chosen={theme} />
            </div>
          )}
        </header>
        <main id="content">
          <Providers>
            {user && !user.emailVerified && <VerifyEmailBanner email={user.email} />}
            {adminWithoutSecondFactor && (
              <aside className="banner" aria-label="Second factor">
                <p>
                  <strong>Protect your administrator account.</strong> It can change every account: add two-factor
                  authentication or a passkey, so that a stolen password is not enough.
                  {getConfig().REQUIRE_ADMIN_2FA && " This server requires it before the administration pages open."}
                </p>
                <Link href="/profile/security">Set up a second factor</Link>
              </aside>
            )}
            {children}
          </Providers>
        </main>
      </body>
    </html>
  );
}
